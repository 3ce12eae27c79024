# seeds/003 (unit "Multi-threading and multi-processing in Python"), "3. Events", "Threading
# Example: Using Event". As shown.
import threading

event = threading.Event()

def worker():
    print("Waiting for event to be set...")
    event.wait() # Block until the event is set
    print("Event received! Proceeding with work.")

thread = threading.Thread(target=worker)
thread.start()

print("Main thread setting the event...")
event.set() # Signal the waiting thread
thread.join()
