# seeds/004 (tutorial "Concurrency in Python"), "Creating a process with Fork". As shown.
import os

def child():
    n = os.fork()

    if n > 0:
        print("PID of Parent process is : ", os.getpid())

    else:
        print("PID of Child process is : ", os.getpid())

child()
