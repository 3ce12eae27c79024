# seeds/004 (tutorial "Concurrency in Python"), "Sharing of I/O Resources". The slide's two
# blocks joined. The page comes through run's local proxy (no network here).
import urllib.request

import time

t_s = time.time()

req = urllib.request.urlopen('http://www.tutorialspoint.com')

pageHtml = req.read()

t_e = time.time()

print("Page Fetching Time : {} Seconds".format (t_e-t_s))
