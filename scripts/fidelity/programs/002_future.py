# seeds/002 (notebook "Asyncio & Threading"), "Example of Using Futures".
# Indentation restored; asyncio.run(main()) (the line the notebook comments out) instead of
# the notebook's top-level await.
import asyncio

async def my_coroutine():
    await asyncio.sleep(1)
    return "Coroutine completed"

async def main(): # Create a Task (which returns a Future)
    future = asyncio.create_task(my_coroutine())

    print("Going to Maldives on a 2 day vacation")
    await asyncio.sleep(5)
    print("Come back from vacation")

    # Await the Future
    result = await future
    print(result)

asyncio.run(main())
