# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Workarounds to GIL
# Limitations", 4. Implementing concurrent I/O with asyncio. The text has
# asyncio.run(main()) indented inside main(), where it could never run; it is at the top
# level here, where the example's "Data fetched" lines need it.
import asyncio

async def fetch_data():
    await asyncio.sleep(1)
    print("Data fetched")

async def main():
    tasks = [fetch_data() for _ in range(3)]
    await asyncio.gather(*tasks)
asyncio.run(main())
