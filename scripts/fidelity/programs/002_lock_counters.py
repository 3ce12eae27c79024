# seeds/002 (notebook "Asyncio & Threading"), "Using Locks" (first program).
# Indentation restored.
import threading

counter_1 = 0
counter_2 = 0
counter_lock = threading.Lock()

def increment_counter():
    global counter_1, counter_2

    for _ in range(100000):
        # Acquire lock before modifying the shared variable
        with counter_lock:
            counter_1 += 1
            counter_2 += 2

# Create two threads

thread1 = threading.Thread(target=increment_counter)
thread2 = threading.Thread(target=increment_counter)

# Start threads

thread1.start()
thread2.start()

# Wait for threads to finish

thread1.join()
thread2.join()

print(f"Final Counter Value: counter_1={counter_1} , counter_2={counter_2}")
