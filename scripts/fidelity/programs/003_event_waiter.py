# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Synchronization
# Primitives in Python", 3. Event (threading.Event), Example. As shown.
import threading
import time
event = threading.Event()

def waiter():
    print("Waiting for event to be set...")
    event.wait() # Blocks until event is set
    print("Event received! Continuing execution.")

def setter():
    time.sleep(3)
    print("Setting the event.")
    event.set() # Set the event

thread1 = threading.Thread(target=waiter)
thread2 = threading.Thread(target=setter)

thread1.start()
thread2.start()
thread1.join()
thread2.join()
