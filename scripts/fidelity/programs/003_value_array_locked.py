# seeds/003 (unit "Multi-threading and multi-processing in Python"), the Value/Array program
# ("Final shared value: 10"), Implementation. The slide's two blocks joined, the last print
# indented into main() (the extraction lost that indentation).
import multiprocessing
import time

# Function to increment shared values

def increment(shared_val, shared_arr):
    for _ in range(5):

        with shared_val.get_lock(): # Lock to prevent race conditions
            shared_val.value += 1

        with shared_arr.get_lock(): # Lock to prevent race conditions
            for i in range(len(shared_arr)):
                shared_arr[i] += 1

            time.sleep(1) # Simulate some processing time

# Main function

def main():

    # Shared integer value (initialized to 0)
    shared_val = multiprocessing.Value('i', 0) # 'i' = integer type

    # Shared array of integers (initialized to [1, 2, 3])
    shared_arr = multiprocessing.Array('i', [1, 2, 3]) # 'i' = integer type

    # Creating two processes that modify shared data
    p1 = multiprocessing.Process(target=increment, args=(shared_val, shared_arr))
    p2 = multiprocessing.Process(target=increment, args=(shared_val, shared_arr))

    # Start processes
    p1.start()
    p2.start()

    # Wait for both processes to finish
    p1.join()
    p2.join()

    # Print final values
    print(f"Final shared value: {shared_val.value}")
    print(f"Final shared array: {list(shared_arr)}")

# Run the program

if __name__ == "__main__":
    main()
