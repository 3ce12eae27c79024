# seeds/002 (notebook "Asyncio & Threading"), the two threads printing numbers and letters.
# Indentation restored.
import threading
import time

def print_numbers():
    for i in range(10):
        time.sleep(2) # simulate some work
        print(f"Thread {threading.current_thread().name}: Number: {i}")

def print_letters():
    for letter in "ABCDEFGHIJ":
        time.sleep(1) # simulate some work
        print(f"Thread {threading.current_thread().name}: Letter: {letter}")

# Create two threads

thread1 = threading.Thread(target=print_numbers)
thread2 = threading.Thread(target=print_letters)

# Start the threads

thread1.start()
thread2.start()

# Wait for the threads to finish

thread1.join()
thread2.join()

print("Both threads have finished.")
