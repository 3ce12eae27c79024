# seeds/004 (tutorial "Concurrency in Python"), "Coroutines", "async def function()". As shown.
import asyncio

async def Myoperation():
    print("First Coroutine")

loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(Myoperation())

finally:
    loop.close()
