# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Workarounds to GIL
# Limitations", 1. Using the multiprocessing module. The slide's blocks joined, the loops
# indented into the __main__ block (the extraction lost that indentation).
from multiprocessing import Process

def worker_function():
    print("Worker process")

if __name__ == "__main__":
    processes = [Process(target=worker_function) for _ in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
