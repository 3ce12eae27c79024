# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Threading Example: Using
# Semaphore". The one-line-a-block slide joined.
import threading

import time

semaphore = threading.Semaphore(2)

def worker(name):

    with semaphore:

        print(f"{name} is working...")

        time.sleep(2)

        print(f"{name} finished")

threads = [threading.Thread(target=worker, args=(f"Thread-{i}",)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
