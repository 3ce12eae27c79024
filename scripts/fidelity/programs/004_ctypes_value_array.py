# seeds/004 (tutorial "Concurrency in Python"), "Ctypes-Array & Value". The slide's two
# blocks joined, the prints indented into the __main__ block; the import the text states
# in prose ("import Process, Value, Array from multiprocessing") written out.
from multiprocessing import Process, Value, Array

def f(n, a):
    n.value = 3.1415927
    for i in range(len(a)):
        a[i] = -a[i]

if __name__ == '__main__':
    num = Value('d', 0.0)
    arr = Array('i', range(10))

    p = Process(target=f, args=(num, arr))
    p.start()
    p.join()
    print (num.value)
    print (arr[:])
