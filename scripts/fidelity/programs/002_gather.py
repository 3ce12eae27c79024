# seeds/002 (notebook "Asyncio & Threading"), "Using Them Together", 2. Example (second).
# Indentation restored; asyncio.run(main()) (the line the notebook comments out) instead of
# the notebook's top-level await.
import asyncio

async def task1():
    await asyncio.sleep(4)
    print("Task 1 done")

async def task2():
    await asyncio.sleep(1)
    print("Task 2 done")

async def main():
    t1 = asyncio.create_task(task1())
    t2 = asyncio.create_task(task2())
    await asyncio.gather(t1, t2)

asyncio.run(main())
