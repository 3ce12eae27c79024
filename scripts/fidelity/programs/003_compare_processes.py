# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Comparing
# Threading and Multiprocessing", Multiprocessing Example. The one-line-a-block slide
# joined (it has no __main__ guard; with the fork start method that is fine).
from multiprocessing import Process

def compute_square(n):
    print(f"Square of {n}: {n * n}")

processes = [Process(target=compute_square, args=(i,)) for i in range(5)]
for p in processes:
    p.start()
for p in processes:
    p.join()
