# seeds/002 (notebook "Asyncio & Threading"), "What is with?", "Without with:".
# Indentation restored; "increment*counter" and "for * in" (Markdown turned the
# underscores into emphasis) read as increment_counter and "for _ in".
import threading

counter = 0
counter_lock = threading.Lock()

def increment_counter():
    global counter
    for _ in range(10000):
        counter_lock.acquire() # Manually acquire the lock
        try:
            counter += 1
        finally:
            counter_lock.release() # Manually release the lock

# Create and start threads

threads = [threading.Thread(target=increment_counter) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()

print(f"Final Counter Value: {counter}")
