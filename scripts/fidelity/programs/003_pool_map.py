# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Using Pool for
# Parallel Execution". The slide's two blocks joined.
from multiprocessing import Pool

def square(n):
    return n * n

if __name__ == "__main__":
    with Pool(processes=4) as pool: # Create a pool with 4 processes
        numbers = [1, 2, 3, 4, 5]
        results = pool.map(square, numbers) # Apply the square function to each number
        print(results)
