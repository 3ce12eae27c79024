# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Using ThreadPoolExecutor
# to Execute Tasks from a Pool of Worker Threads", second program (a context manager).
# Line numbers removed, the two blocks joined.
from concurrent.futures import ThreadPoolExecutor

# Task
def square_num(num):
    print(f"Square of {num}: {num * num}.")

# Using ThreadPoolExecutor as context manager
with ThreadPoolExecutor(max_workers=4) as executor:
    task1 = executor.submit(square_num, 5)
    task2 = executor.submit(square_num, 2)
    task3 = executor.submit(square_num, 55)
    task5 = executor.submit(square_num, 4)
