# seeds/002 (notebook "Asyncio & Threading"), "Example: Thread Pooling with
# concurrent.futures.ThreadPoolExecutor". Indentation restored; "**name** == "**main**""
# (Markdown bold) read as __name__ == "__main__".
import concurrent.futures
import time
import random

# A function that simulates a time-consuming task

def task(n):
    sleep_time = random.uniform(0.5, 2.0) # Random sleep time between 0.5 and 2 seconds
    print(f"Task {n} will sleep for {sleep_time:.2f} seconds.")
    time.sleep(sleep_time)
    return f"Task {n} completed."

if __name__ == "__main__":
    num_tasks = 10 # Number of tasks to execute
    results = []

    # Using ThreadPoolExecutor to manage threads
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:
        # Submit tasks to the executor
        future_to_task = {executor.submit(task, i): i for i in range(num_tasks)}

        # Process the results as they complete
        for future in concurrent.futures.as_completed(future_to_task):
            task_number = future_to_task[future]
            try:
                result = future.result()  # Get the result of the task
                results.append(result)
                print(result)
            except Exception as exc:
                print(f"Task {task_number} generated an exception: {exc}")

    print("All tasks have been completed.")
