# seeds/001 (lecture "Threading and Python Network programming"), "Running a process in the
# background", as first shown (background_process.daemon = True).
# The slide's blocks joined.
import multiprocessing
import time

def foo():
    name = multiprocessing.current_process().name
    print ("Starting %s \n" %name)
    if name == 'background_process':
        for i in range(0,5):
            print('---> %d \n' %i)
            time.sleep(1)
    else:
        for i in range(5,10):
            print('---> %d \n' %i)
            time.sleep(1)
    print ("Exiting %s \n" %name)

if __name__ == '__main__':
    background_process = multiprocessing.Process        (name='background_process',         target=foo)
    background_process.daemon = True

    NO_background_process = multiprocessing.Process        (name='NO_background_process',         target=foo)
    NO_background_process.daemon = False
    background_process.start()
    NO_background_process.start()
