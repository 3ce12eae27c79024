# seeds/004 (tutorial "Concurrency in Python"), "How to create a ProcessPoolExecutor?", Example.
# The slide's two blocks joined.
from concurrent.futures import ProcessPoolExecutor
from time import sleep
def task(message):
    sleep(2)
    return message

def main():
    executor = ProcessPoolExecutor(5)
    future = executor.submit(task, ("Completed"))
    print(future.done())
    sleep(2)
    print(future.done())
    print(future.result())
if __name__ == '__main__':
    main()
