# seeds/004 (tutorial "Concurrency in Python"), "LIFO queue with single thread", Example. As shown (the
# "Output:" the text puts inside the code block left out).
import queue

q = queue.LifoQueue()

for i in range(8):
    q.put("item-" + str(i))

while not q.empty():
    print (q.get(), end=" ")
