# seeds/004 (tutorial "Concurrency in Python"), "Python Module – Asyncio" (call_soon). As shown.
import asyncio

def hello_world(loop):
    print('Hello World')
    loop.stop()

loop = asyncio.get_event_loop()

loop.call_soon(hello_world, loop)

loop.run_forever()
loop.close()
