# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Inter-Process
# Communication (IPC) in Python using Pipe and Queue", Implementation. The slide's two blocks
# joined, pipe_worker()'s last lines indented into it (the extraction lost that
# indentation).
import multiprocessing

import time

# Function to send and receive data using Pipe

def pipe_worker(conn):
    conn.send("Hello from child process!") # Sending data
    time.sleep(1) # Simulate some processing
    msg = conn.recv() # Receiving response
    print(f"Child received: {msg}")
    conn.close() # Close connection

# Function to send data to the queue
def queue_worker(q):
    for i in range(5):
        q.put(f"Message {i} from child process")
        time.sleep(0.5) # Simulate delay

# Main function
def main():

    # ----- Using Pipe -----
    parent_conn, child_conn = multiprocessing.Pipe()
    p1 = multiprocessing.Process(target=pipe_worker, args=(child_conn,))
    p1.start()

    print(f"Parent received: {parent_conn.recv()}") # Receive from child
    parent_conn.send("Hello from parent process!") # Send back message
    p1.join()

    # ----- Using Queue -----
    q = multiprocessing.Queue()
    p2 = multiprocessing.Process(target=queue_worker, args=(q,))
    p2.start()

    # Receive messages from the queue
    while p2.is_alive() or not q.empty():
        while not q.empty():
            print(f"Parent received from queue: {q.get()}")
    p2.join()

    # Run the program
if __name__ == "__main__":
    main()
