# seeds/004 (tutorial "Concurrency in Python"), "FIFO queue with multiple threads", Example. The slide's two blocks
# joined, the print's continuation line indented (the extraction lost that indentation).
import threading
import queue
import random
import time

def myqueue(queue):
    while not queue.empty():
        item = queue.get()
        if item is None:
            break
        print("{} removed {} from the queue".format(threading.current_thread(),
            item))
        queue.task_done()
        time.sleep(2)
q = queue.Queue()
for i in range(5):
    q.put(i)
threads = []
for i in range(4):
    thread = threading.Thread(target=myqueue, args=(q,))
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
