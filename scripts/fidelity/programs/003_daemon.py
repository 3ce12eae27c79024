# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Daemon Threads". The
# slide's line numbers removed and its two blocks joined, the second indented into the
# __main__ block (the extraction lost that indentation).
import threading
import time

def daemon_thread():
    while True:
        print("Daemon thread is running.")
        time.sleep(1)
        print("Daemon thread finished executing.")

if __name__ == "__main__":
    thread1 = threading.Thread(target=daemon_thread, daemon=True)

    thread1.start()

    print("Main program exiting.")
