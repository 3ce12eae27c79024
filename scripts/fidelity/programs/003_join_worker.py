# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Joining Threads (join()
# Method)". The slide's two blocks joined.
import threading

def worker():
    print("Worker thread started")
    for _ in range(3):
        print("Working...")
    print("Worker thread finished")

thread = threading.Thread(target=worker)
thread.start()
thread.join() # Wait for the thread to complete
print("Main thread continues")
