# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Thread Communication and
# Sharing Data", 1. Using Lock for Synchronization. The slide's blocks joined.
import threading

counter = 0
lock = threading.Lock()

def increment():
    global counter
    for _ in range(100000):
        with lock: # Acquire and release the lock
            counter += 1

threads = [threading.Thread(target=increment) for _ in range(2)]
for t in threads:
    t.start()

for t in threads:
    t.join()

print("Final Counter:", counter)
