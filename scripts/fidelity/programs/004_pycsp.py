# seeds/004 (tutorial "Concurrency in Python"), "Python library – PyCSP". The slide's two
# blocks joined, P1()'s body indented to match P2()'s. Needs PyCSP (shims/pycsp stands in
# when it is not installed).
from pycsp.parallel import *
import time
@process
def P1():
    time.sleep(1)
    print('P1 exiting')
@process
def P2():
    time.sleep(1)
    print('P2 exiting')
def main():
    Parallel(P1(), P2())
    print('Terminating')
if __name__ == '__main__':
    main()
