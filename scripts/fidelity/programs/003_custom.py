# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example 2: Subclassing
# the Thread Class". The one-line-a-block slide joined (it continues Example 1's program,
# hence the import).
import threading

class CustomThread(threading.Thread):
    def run(self):
        for i in range(5):
            print(f"Custom Thread: {i}")

# Create and start the thread
thread = CustomThread()
thread.start()
thread.join()
