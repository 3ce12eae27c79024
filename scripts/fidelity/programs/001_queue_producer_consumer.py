# seeds/001 (lecture "Threading and Python Network programming"), "Using a Queue
# (Producer-Consumer)". The slide's two blocks joined. Its print strings were broken by the
# line continuations (a '\' inside each string, the closing quote lost); restored here as
# the lecture's output shows them: 'Producer notify : item N°%d appended to queue by %s\n'
# and 'Consumer notify : %d popped from queue by %s\n' (the ° was lost with the text).
# As in the lecture, the consumers loop for ever: the program never ends (run stops it).
from threading import Thread
from queue import Queue
import time
import random

class Producer(Thread):
    def __init__(self, queue):
        Thread.__init__(self)
        self.queue = queue
    def run(self):
        for i in range(5):
            item = random.randint(0, 256)
            self.queue.put(item)
            print('Producer notify : item N°%d appended to queue by %s\n'\
                % (item, self.name))
            time.sleep(1)

class Consumer(Thread):
    def __init__(self, queue):
        Thread.__init__(self)
        self.queue = queue

    def run(self):
        while True:
            item = self.queue.get()
            print('Consumer notify : %d popped from queue by %s\n'\
                % (item, self.name))
            self.queue.task_done()


if __name__ == '__main__':
    queue = Queue()
    t1 = Producer(queue)
    t2 = Consumer(queue)
    t3 = Consumer(queue)
    t4 = Consumer(queue)

    t1.start()
    t2.start()
    t3.start()
    t4.start()

    t1.join()
    t2.join()
    t3.join()
    t4.join()
