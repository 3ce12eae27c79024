"""Run one lecture program the way the lecture ran it, only faster.

Usage: python3 pyrun.py SCALE SEED PROGRAM.py

Every time.sleep(s) and asyncio.sleep(s) the program makes sleeps s * SCALE real seconds
(concur's --time-scale does the same to its lecture clock); the program's code is not
changed. Two things make runs comparable: the random module starts from SEED (the program
may reseed it, as the philosophers do), and print() writes its whole line (text and end) in
one write, so that two threads or processes printing at once give two lines, not one line
run into the next ("Produced: 3Consumed: 3"); CPython's print writes the text and the
newline separately, which is how the slides' run-together lines came about. The program
runs as __main__, so its `if __name__ == "__main__":` block runs and multiprocessing's
forked children find its functions by name, as they would. The stand-in modules in shims/
(rx, functional, pycsp, aiohttp: third-party libraries the lecture installs with pip) are
put at the END of sys.path, so an installed library wins.
"""
import asyncio
import builtins
import os
import random
import runpy
import sys
import time

scale = float(sys.argv[1])
random.seed(int(sys.argv[2]))
program = os.path.abspath(sys.argv[3])

_real_sleep = time.sleep


def _scaled_sleep(seconds):
    _real_sleep(seconds * scale)


time.sleep = _scaled_sleep

_real_asyncio_sleep = asyncio.sleep


async def _scaled_asyncio_sleep(delay, result=None):
    return await _real_asyncio_sleep(delay * scale, result)


asyncio.sleep = _scaled_asyncio_sleep
asyncio.tasks.sleep = _scaled_asyncio_sleep



def _whole_line_print(*args, sep=" ", end="\n", file=None, flush=False):
    if file is None:
        file = sys.stdout
        if file is None:
            return
    sep = " " if sep is None else sep
    end = "\n" if end is None else end
    file.write(sep.join(str(a) for a in args) + end)
    if flush:
        file.flush()


builtins.print = _whole_line_print

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "shims"))
sys.argv = [program]
runpy.run_path(program, run_name="__main__")
