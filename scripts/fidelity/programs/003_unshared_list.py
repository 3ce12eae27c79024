# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Multiprocessing
# Example: Using Lock". The one-line-a-block slide joined, the process lines indented into
# the __main__ block (the extraction lost that indentation).
from multiprocessing import Process, Lock

def worker(lock, shared_list):
    with lock:
        for _ in range(5):
            shared_list.append(1)

if __name__ == "__main__":
    lock = Lock()
    shared_list = []
    processes = [Process(target=worker, args=(lock, shared_list)) for _ in range(3)]
    for p in processes:
        p.start()

    for p in processes:

        p.join()

    print("Final List Length:", len(shared_list))
