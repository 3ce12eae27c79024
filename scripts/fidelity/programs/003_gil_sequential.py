# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Impact on
# multi-threaded Python programs", Code 1: CPU bound program that perform simple countdown.
# The extraction indented the timing lines into countdown()'s loop; they are at the top
# level here, as the output "Time taken in seconds - 2.52..." shows.
import time

from threading import Thread

COUNT = 50000000


def countdown(n):

    while n>0:
        n -= 1


start = time.time()
countdown(COUNT)
end = time.time()


print('Time taken in seconds -', end - start)
