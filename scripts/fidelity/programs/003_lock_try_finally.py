# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Synchronization
# Primitives in Python", 1. Lock (threading.Lock), Example. The slide's two blocks joined,
# t.join() indented into its loop (the extraction lost that indentation).
import threading

lock = threading.Lock()

counter = 0

def increment():
    global counter

    lock.acquire() # Acquire the lock

    try:
        counter += 1
    finally:
        lock.release() # Release the lock

threads = [threading.Thread(target=increment) for _ in range(10)]

for t in threads:
    t.start()

for t in threads:
    t.join()
print("Final Counter Value:", counter)
