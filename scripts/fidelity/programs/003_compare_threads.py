# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Comparing
# Threading and Multiprocessing", Threading Example. The one-line-a-block slide joined.
import threading

def compute_square(n):
    print(f"Square of {n}: {n * n}")

threads = [threading.Thread(target=compute_square, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
