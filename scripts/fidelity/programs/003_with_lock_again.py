# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Synchronization
# Mechanisms in Threading and Multiprocessing", 1. Locks and RLocks, "Threading Example:
# Using Lock". The one-line-a-block slide joined.
import threading

counter = 0

lock = threading.Lock()

def increment():

    global counter

    for _ in range(100000):

        with lock: # Lock acquired and released automatically

            counter += 1

threads = [threading.Thread(target=increment) for _ in range(2)]

for t in threads:
    t.start()

for t in threads:
    t.join()

print("Final Counter:", counter)
