# seeds/003 (unit "Multi-threading and multi-processing in Python"), "threading.Lock –
# Avoiding Race Conditions". The slide's line numbers removed and its two blocks joined,
# read_file()'s loop indented into its `with` (the extraction lost that indentation).
# Reads sample.txt from the current directory (run writes the one the output shows).
import threading

# Creating Lock instance
lock = threading.Lock()

data = ""

def read_file():
    global data
    with open("sample.txt", "r") as file:
        for info in file:
            data += "\n" + info

def lock_task():
    lock.acquire()
    read_file()
    lock.release()

if __name__ == "__main__":
    thread1 = threading.Thread(target=lock_task)
    thread2 = threading.Thread(target=lock_task)

    thread1.start()
    thread2.start()

    thread1.join()
    thread2.join()

# Printing the data read from the file
print(f"Data: {data}")
