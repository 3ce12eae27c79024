# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Getting Thread Id".
# Line numbers removed, the two blocks joined.
import threading
import time

def task():
    print(f"Thread {threading.get_ident()} is running.")
    time.sleep(1)
    print(f"Thread {threading.get_ident()} is terminated.")

print(f"Main thread started.")

threads_list = []

for _ in range(5):
    thread = threading.Thread(target=task)
    thread.start()
    threads_list.append(thread)

for thread in threads_list:
    thread.join()

print(f"Main thread finished.")
