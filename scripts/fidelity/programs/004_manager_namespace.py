# seeds/004 (tutorial "Concurrency in Python"), "Concept of Namespaces in Manager". The
# slide's two blocks joined, the second indented into the __main__ block (the extraction
# lost that indentation).
import multiprocessing

def Mng_NaSp(using_ns):

    using_ns.x +=5
    using_ns.y *= 10

if __name__ == '__main__':

    manager = multiprocessing.Manager()
    using_ns = manager.Namespace()
    using_ns.x = 1
    using_ns.y = 1

    print ('before', using_ns)
    p = multiprocessing.Process(target=Mng_NaSp, args=(using_ns,))
    p.start()
    p.join()
    print ('after', using_ns)
