# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Terminating a
# Process". The one-line-a-block slide joined.
import time
from multiprocessing import Process

def worker():
    while True:
        print("Running...")
        time.sleep(1)

if __name__ == "__main__":
    p = Process(target=worker)
    p.start()
    time.sleep(5)
    p.terminate() # Forcefully stop the process
    p.join()
    print("Process terminated")
