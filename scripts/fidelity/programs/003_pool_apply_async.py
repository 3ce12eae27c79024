# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Asynchronous
# Execution with apply_async". The one-line-a-block slide joined, indentation restored.
from multiprocessing import Pool

def worker_function(x):
    return x * 2

if __name__ == "__main__":
    with Pool(processes=3) as pool:
        results = [pool.apply_async(worker_function, args=(i,)) for i in range(5)]
        output = [result.get() for result in results]
        print(output)
