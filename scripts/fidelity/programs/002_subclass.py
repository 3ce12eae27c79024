# seeds/002 (notebook "Asyncio & Threading"), "Creating Threads with a Class".
# Indentation restored.
import threading
import time

class MyThread(threading.Thread):
    def run(self):
        for i in range(5):
            print(f"Thread {threading.current_thread().name}: {i}")
            time.sleep(1)

# Create and start the thread

my_thread = MyThread(name="MyCustomThread")

# Wait for the thread to finish

my_thread.start()

# Wait for the thread to finish

my_thread.join()
print("Thread execution completed.")
