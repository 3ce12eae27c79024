# seeds/004 (tutorial "Concurrency in Python"), "Priority queue with multi threads", Example.
# The print's continuation line indented (the extraction lost that indentation).
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
        time.sleep(1)

q = queue.PriorityQueue()
for i in range(5):
    q.put(i,1)

for i in range(5):
    q.put(i,1)

threads = []
for i in range(2):
    thread = threading.Thread(target=myqueue, args=(q,))
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
