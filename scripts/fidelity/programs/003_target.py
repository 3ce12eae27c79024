# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example 1: Creating a
# Thread with a Target Function". The one-line-a-block slide joined.
import threading

def print_numbers():
    for i in range(5):
        print(f"Number: {i}")

# Create a thread
thread = threading.Thread(target=print_numbers)
# Start the thread
thread.start()
# Wait for the thread to finish
thread.join()
