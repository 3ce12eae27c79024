# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Hybrid System: Using Both
# Threading and Multiprocessing", Implementation. The slide's two blocks joined,
# compute_factorial()'s body indented into it (the extraction lost that indentation).
# Needs requests.
import threading

import multiprocessing

import time

import requests

# I/O-bound task: Simulates downloading a file

def download_file(url, thread_id):

    print(f"Thread-{thread_id}: Starting download from {url}")

    response = requests.get(url) # Simulating a network request

    print(f"Thread-{thread_id}: Download complete. Size: {len(response.content)} bytes")

# CPU-bound task: Compute factorial of a large number

def compute_factorial(n):

    print(f"Process: Computing factorial of {n}")

    result = 1

    for i in range(1, n + 1):

        result *= i

    print(f"Process: Factorial computation done for {n}")

# Main function to manage both threading and multiprocessing

def main():

    # Define I/O-bound tasks (URLs to download)

    urls = [

        "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf",

        "https://www.learningcontainer.com/wp-content/uploads/2020/05/sample-pdf-file.pdf"

    ]

    # Create and start threads for I/O-bound tasks

    threads = [threading.Thread(target=download_file, args=(url, i)) for i, url in enumerate(urls)]

    for t in threads:

        t.start()

    # Create and start a process for the CPU-bound task

    process = multiprocessing.Process(target=compute_factorial, args=(50000,))

    process.start()

    # Wait for threads and process to finish

    for t in threads:

        t.join()

    process.join()

    print("All tasks completed.")

# Run the system

if __name__ == "__main__":

    main()
