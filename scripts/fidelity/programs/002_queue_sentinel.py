# seeds/002 (notebook "Asyncio & Threading"), "Example: Thread Communication with
# queue.Queue". Indentation restored; "**name** == "**main**"" (Markdown bold) read as
# __name__ == "__main__".
import threading
import queue
import time
import random

# Function for the producer thread

def producer(q, num_items):
    for i in range(num_items):
        item = random.randint(1, 100) # Produce a random number
        q.put(item) # Put the item in the queue
        print(f"Produced: {item}")
        time.sleep(random.uniform(0.1, 0.5)) # Simulate variable production time
    q.put(None) # Signal the consumer to stop

# Function for the consumer thread

def consumer(q):
    while True:
        item = q.get() # Get an item from the queue
        if item is None: # Check for the stop signal
            break
        print(f"Consumed: {item}")
        time.sleep(random.uniform(0.1, 0.5)) # Simulate variable processing time
    print("Consumer finished processing.")

if __name__ == "__main__":
    num_items = 10 # Number of items to produce
    q = queue.Queue() # Create a queue

    # Create producer and consumer threads
    producer_thread = threading.Thread(target=producer, args=(q, num_items))
    consumer_thread = threading.Thread(target=consumer, args=(q,))

    # Start the threads
    producer_thread.start()
    consumer_thread.start()

    # Wait for the threads to finish
    producer_thread.join()
    consumer_thread.join()

    print("All threads have finished.")
