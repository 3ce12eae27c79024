# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Multi-threaded
# I/O-bound Task". As shown.
import threading

import time

def fetch_data(task_id):
    print(f"Task {task_id} started")

    time.sleep(2) # Simulating an I/O operation

    print(f"Task {task_id} finished")

threads = [threading.Thread(target=fetch_data, args=(i,)) for i in range(5)]

for t in threads:
    t.start()

for t in threads:
    t.join()
