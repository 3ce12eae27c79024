# seeds/001 (lecture "Threading and Python Network programming"), "Naming a process".
# The slide's three blocks joined; the start/join lines indented into the __main__ block
# (the extraction lost that indentation).
import multiprocessing
import time

def myFunc():
    name = multiprocessing.current_process().name
    print ("Starting process name = %s \n" %name)
    time.sleep(3)
    print ("Exiting process name = %s \n" %name)

if __name__ == '__main__':
    process_with_name = multiprocessing.Process\
        (name='myFunc process',\
         target=myFunc)

    process_with_default_name = multiprocessing.Process\
        (target=myFunc)

    process_with_name.start()
    process_with_default_name.start()
    process_with_name.join()
    process_with_default_name.join()
