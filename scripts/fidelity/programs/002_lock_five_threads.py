# seeds/002 (notebook "Asyncio & Threading"), "Using Locks" (second program: five threads).
# Indentation restored; "for \_ in" (a Markdown escape) read as "for _ in".
import threading

# Shared resource

counter = 0

# Lock object

lock = threading.Lock()

def increment_counter():
    global counter
    with lock: # Lock is automatically acquired and released
        counter += 1
        print(f"Counter: {counter}")

# Create and start 5 threads

threads = []
for _ in range(5):
    thread = threading.Thread(target=increment_counter, name="MyCustomThread")
    thread.start()
    threads.append(thread)

# Wait for all threads to finish

for thread in threads:
    thread.join()

print("Waiting finish for main thread, all other thread joined main thread")

print(f"Final Counter: {counter}")
