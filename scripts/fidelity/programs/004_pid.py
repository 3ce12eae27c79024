# seeds/004 (tutorial "Concurrency in Python"), "Identifying the current process in Python",
# Example. The two print strings were broken across lines by the extraction; joined.
import multiprocessing
import time
def Child_process():
    print("PID of Child Process is: {}".format(multiprocessing.current_process().pid))
print("PID of Main process is: {}".format(multiprocessing.current_process().pid))
P = multiprocessing.Process(target=Child_process)
P.start()
P.join()
