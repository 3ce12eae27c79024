# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Creating and
# Starting Processes". The one-line-a-block slide joined, the loops indented into the
# __main__ block (the extraction lost that indentation).
from multiprocessing import Process

def worker_function(name):
    print(f"Process {name} is running")

if __name__ == "__main__":
    processes = [Process(target=worker_function, args=(i,)) for i in range(4)]
    for process in processes:
        process.start() # Start each process
    for process in processes:
        process.join() # Wait for each process to complete
