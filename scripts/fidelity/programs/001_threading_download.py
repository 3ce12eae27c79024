# seeds/001 (lecture "Threading and Python Network programming"), "Threading: Code Example".
# As the slide shows it. Needs requests.
import threading
import requests

def download_file(url):
    response = requests.get(url)
    print(f"Downloaded {url}")

urls = ["http://example.com/file1", "http://example.com/file2"]
threads = [threading.Thread(target=download_file, args=(url,)) for url in urls]

for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
