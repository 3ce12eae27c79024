# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Monitoring Currently
# Active Threads". Line numbers removed, the two blocks joined.
import threading

def task():
    print(f"Current Thread : {threading.current_thread().name} is running.")

# Getting the main thread name
print(f"Main thread : {threading.main_thread().name} started.")

threads_list = []

for _ in range(5):
    thread = threading.Thread(target=task)
    thread.start()
    threads_list.append(thread)
    # Getting the active thread count
    print(f"\nActive Thread Count: {threading.active_count()}")

for thread in threads_list:
    thread.join()

print(f"Main thread      : {threading.main_thread().name} finished.")
# Getting the active thread count
print(f"Active Thread Count: {threading.active_count()}")
# Getting the list of active threads
for active in threading.enumerate():
    print(f"Active Thread List: {active.name}")
