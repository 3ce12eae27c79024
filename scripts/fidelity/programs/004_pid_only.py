# seeds/004 (tutorial "Concurrency in Python"), "Identifying the current process in Python",
# the one-line snippet. As shown.
import multiprocessing
print(multiprocessing.current_process().pid)
