# seeds/004 (tutorial "Concurrency in Python"), "Python Multiprocessing Module – Pool Class",
# Example. The slide's two blocks joined, the last print indented into the __main__ block.
# The slide's own slips would stop it before any output: it never imports multiprocessing
# and maps "function_square" over "pool", names it never defines, where its output
# ("Pool : [0, 1, 4, 9, 16]") is square mapped by p. Those three are corrected, nothing else.
import multiprocessing

def square(n):
    result = n*n
    return result

if __name__ == '__main__':
    inputs = list(range(5))
    p = multiprocessing.Pool(processes=4)
    p_outputs = p.map(square, inputs)
    p.close()
    p.join()
    print ('Pool :', p_outputs)
