# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Using Queue for Thread
# Communication". The slide's two blocks joined.
import threading

from queue import Queue


def producer(queue):
    for i in range(5):
        queue.put(i)
        print(f"Produced: {i}")


def consumer(queue):
    while not queue.empty():
        item = queue.get()
        print(f"Consumed: {item}")


q = Queue()
producer_thread = threading.Thread(target=producer, args=(q,))
consumer_thread = threading.Thread(target=consumer, args=(q,))


producer_thread.start()
producer_thread.join()
consumer_thread.start()
consumer_thread.join()
