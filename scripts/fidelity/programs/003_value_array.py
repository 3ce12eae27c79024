# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Using Value and
# Array". The slide's blocks joined, the process lines indented into the __main__ block (the
# extraction lost that indentation).
from multiprocessing import Process, Value, Array

def increment(shared_value, shared_array):
    with shared_value.get_lock(): # Lock for synchronized access
        shared_value.value += 1
    for i in range(len(shared_array)):
        shared_array[i] += 1

if __name__ == "__main__":
    shared_value = Value('i', 0) # Shared integer (type 'i')
    shared_array = Array('i', [0, 0, 0]) # Shared array of integers

    processes = [Process(target=increment, args=(shared_value, shared_array)) for _ in range(3)]

    for p in processes:
        p.start()

    for p in processes:
        p.join()

    print("Shared Value:", shared_value.value)
    print("Shared Array:", shared_array[:])
