# seeds/004 (tutorial "Concurrency in Python"), "Futures". As shown.
import asyncio

async def Myoperation(future):
    await asyncio.sleep(2)
    future.set_result('Future Completed')

loop = asyncio.get_event_loop()
future = asyncio.Future()
asyncio.ensure_future(Myoperation(future))
try:
    loop.run_until_complete(future)
    print(future.result())
finally:
    loop.close()
