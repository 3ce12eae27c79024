# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Getting Main and Current
# Thread". Line numbers removed, the two blocks joined.
import threading

def task():
    for _ in range(2):
        # Getting the current thread name
        print(f"Current Thread: {threading.current_thread().name} is running.")

# Getting the main thread name
print(f"Main thread : {threading.main_thread().name} started.")
thread1 = threading.Thread(target=task)
thread2 = threading.Thread(target=task)

thread1.start()
thread2.start()

thread1.join()
thread2.join()
print(f"Main thread : {threading.main_thread().name} finished.")
