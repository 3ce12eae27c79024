# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Using ThreadPoolExecutor
# to Execute Tasks from a Pool of Worker Threads", first program (executor.shutdown()). Line
# numbers removed.
from concurrent.futures import ThreadPoolExecutor

# Creating pool of 4 threads
executor = ThreadPoolExecutor(max_workers=4)

# Function to evaluate square number
def square_num(num):
    print(f"Square of {num}: {num * num}.")

task1 = executor.submit(square_num, 5)
task2 = executor.submit(square_num, 2)
task3 = executor.submit(square_num, 55)
task5 = executor.submit(square_num, 4)

# Wait for tasks to complete and then shutdown
executor.shutdown()
