# seeds/001 (lecture "Threading and Python Network programming"), "Asyncio: Example".
# As the slide shows it; the program prints nothing (main returns the pages). Needs aiohttp
# (shims/aiohttp stands in when it is not installed).
import asyncio
import aiohttp

async def fetch_url(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            return await response.text()

async def main():
    urls = ["http://example.com", "http://example.org"]
    tasks = [fetch_url(url) for url in urls]
    results = await asyncio.gather(*tasks)
    return results

asyncio.run(main())
