# seeds/002 (notebook "Asyncio & Threading"), "How to use threading in Python", Basic Example.
# Indentation restored. "becuase" is the notebook's own spelling.
import threading
import time

# Function to be run in a thread
def print_numbers():
    for i in range(5):
        print(f"Number: {i} : Thread Name: {threading.current_thread().name}")
        time.sleep(3) # change the sleep value, play and learn

# Create a thread
my_thread = threading.Thread(target=print_numbers, name='Worker Thread')

# Start the thread
my_thread.start()

# Main thread continues executing
print(f"After spawning other threads Main thread is continue doing its works! : Thread Name: {threading.current_thread().name}")
time.sleep(0) # change the sleep value, play and learn
print(f"Main thread is waiting for other threads to join: my_thread.join() : Thread Name: {threading.current_thread().name}")

# Wait for the thread to finish
my_thread.join()
print(f"Main thread starts executing becuase all other threads join main thread : Thread Name: {threading.current_thread().name}")
print(f"Main Thread finished! : Thread Name: {threading.current_thread().name}")
