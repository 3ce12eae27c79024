# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Impact on
# multi-threaded Python programs", Code 2: Two threads running parallel. As shown.
import time
from threading import Thread

COUNT = 50000000

def countdown(n):
    while n>0:
        n -= 1

t1 = Thread(target = countdown, args =(COUNT//2, ))
t2 = Thread(target = countdown, args =(COUNT//2, ))

start = time.time()
t1.start()
t2.start()
t1.join()
t2.join()

end = time.time()

print('Time taken in seconds -', end - start)
