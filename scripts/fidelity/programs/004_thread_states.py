# seeds/004 (tutorial "Concurrency in Python"), "Python Program for Various Thread States",
# Steps 1 to 5 put together (the output line the text puts after T1.start() left out).
import threading
import time

def thread_states():
    print("Thread entered in running state")
    time.sleep(2)

T1 = threading.Thread(target=thread_states)
T1.start()
T1.join()
