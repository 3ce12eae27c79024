# seeds/004 (tutorial "Concurrency in Python"), "Terminating processes in Python". The
# slide's two blocks joined.
import multiprocessing
import time
def Child_process():
    print ('Starting function')
    time.sleep(5)
    print ('Finished function')
P = multiprocessing.Process(target=Child_process)
P.start()
print("My Process has terminated, terminating main thread")
print("Terminating Child Process")
P.terminate()
print("Child Process successfully terminated")
