# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Graceful
# Thread Termination". The text repeats the program; its second, whole copy.
import threading

import time

def worker(stop_event):

    while not stop_event.is_set():

        print("Thread running...")

        time.sleep(1)

# Create an Event object for stopping
stop_event = threading.Event()

thread = threading.Thread(target=worker, args=(stop_event,))

thread.start()

time.sleep(5) # Let the thread run for 5 seconds

stop_event.set() # Signal the thread to stop

thread.join()
