# seeds/002 (notebook "Asyncio & Threading"), "Using Them Together", 2. Example (first).
# Indentation restored; asyncio.run(main()) (the line the notebook comments out) instead of
# the notebook's top-level await.
import asyncio

async def my_function():
    await asyncio.sleep(4)
    print("Hello")

async def main():
    await my_function()

asyncio.run(main())
