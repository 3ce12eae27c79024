# seeds/004 (tutorial "Concurrency in Python"), "Priority queue with single thread", Example.
# The slide puts '(5, 'Important')' into "prio_queue", a name it never defines (a NameError
# before anything is printed); its output shows the item taken from p_queue, so p_queue
# here. That is the one change.
import queue as Q
p_queue = Q.PriorityQueue()

p_queue.put((2, 'Urgent'))
p_queue.put((1, 'Most Urgent'))
p_queue.put((10, 'Nothing important'))
p_queue.put((5, 'Important'))

while not p_queue.empty():
    item = p_queue.get()
    print('%s - %s' % item)
