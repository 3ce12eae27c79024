# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Synchronization
# Primitives in Python", 2. Semaphore (threading.Semaphore), Example. As shown.
import threading

import time

semaphore = threading.Semaphore(3) # Only 3 threads can access at a time

def worker(thread_id):

    semaphore.acquire() # Acquire the semaphore

    print(f"Thread {thread_id} is working...")

    time.sleep(2)

    print(f"Thread {thread_id} is done.")

    semaphore.release() # Release the semaphore

threads = [threading.Thread(target=worker, args=(i,)) for i in range(5)]

for t in threads:

    t.start()

for t in threads:

    t.join()
