# seeds/002 (notebook "Asyncio & Threading"), "Example: Making Coffee and Pastry".
# Indentation restored (the extraction flattened the notebook's code). The notebook awaits
# at top level (Colab's running loop); outside a notebook that is the line it comments out,
# asyncio.run(order_async()), used here. "entring" is the notebook's own spelling.
import asyncio
import time
import threading

# Synchronous approach

def make_coffee_sync():
    print(f"\tMaking coffee... : Thread Name: {threading.current_thread().name}")
    time.sleep(2) # Simulate coffee preparation time
    print("\tCoffee is ready!")

def make_pastry_sync():
    print(f"\tMaking pastry... : Thread Name: {threading.current_thread().name}")
    time.sleep(3) # Simulate pastry preparation time
    print("\tPastry is ready!")

def order_sync():
    make_coffee_sync()
    make_pastry_sync()

# Asynchronous approach using Asyncio

async def make_coffee_async():
    print(f"\tMaking coffee... : Thread Name: {threading.current_thread().name}")
    await asyncio.sleep(2) # Simulate coffee preparation time
    print("\tCoffee is ready!")

async def make_pastry_async():
    print(f"\tMaking pastry... : Thread Name: {threading.current_thread().name}")
    await asyncio.sleep(3) # Simulate pastry preparation time
    print("\tPastry is ready!")

async def order_async():
    tasks = [
        asyncio.create_task(make_coffee_async()),
        asyncio.create_task(make_pastry_async())
    ]
    await asyncio.gather(*tasks)

# Run the synchronous example

print("Synchronous approach:")
start_time = time.time()

print("Main thread entring order_sync()")
order_sync()
print("Main thread exiting order_sync()")

print(f"Total time: {time.time() - start_time} seconds")

# Run the asynchronous example

print("\nAsynchronous approach:")
start_time = time.time()

print("Main thread entring order_async()")
asyncio.run(order_async()) # This will work in stand alone IDE (VSCode, Cursor)

print("Main thread exiting order_async()")

print(f"Total time: {time.time() - start_time} seconds")
