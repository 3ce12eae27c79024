# seeds/002 (notebook "Asyncio & Threading"), "Daemon Threads". Indentation restored.
import threading
import time

def background_task():
    while True:
        print("Background task is running...")
        time.sleep(1)

# Create a daemon thread

daemon_thread = threading.Thread(target=background_task, daemon=True)
daemon_thread.start()

time.sleep(3)
print("Main program exiting...")
