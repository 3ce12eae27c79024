# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Semaphore Objects in
# Threading". The slide's line numbers removed and its two blocks joined, thread_task()'s
# body after sem.acquire() indented into the function (the extraction lost that
# indentation).
import threading

# Creating a semaphore
sem = threading.Semaphore(2)

def thread_task(num):
    print(f"Thread {num}: Waiting")

    # Acquire the semaphore
    sem.acquire()
    print(f"Thread {num}: Acquired the semaphore")

    # Simulate some work
    for _ in range(5):
        print(f"Thread {num}: In process")

    # Release the semaphore when done
    sem.release()
    print(f"Thread {num}: Released the semaphore.")

if __name__ == "__main__":
    thread1 = threading.Thread(target=thread_task, args=(1,))
    thread2 = threading.Thread(target=thread_task, args=(2,))
    thread3 = threading.Thread(target=thread_task, args=(3,))

    thread1.start()
    thread2.start()
    thread3.start()

    thread1.join()
    thread2.join()
    thread3.join()

    print("All threads have finished.")
