# seeds/004 (tutorial "Concurrency in Python"), "Coroutines", "@asyncio.coroutine decorator".
# As shown. @asyncio.coroutine was removed in Python 3.11: there this stops with an
# AttributeError before printing anything.
import asyncio

@asyncio.coroutine
def Myoperation():
    print("First Coroutine")

loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(Myoperation())

finally:
    loop.close()
