"""Stand-in for pycsp.parallel: @process and Parallel() (each process on its own thread, as
pycsp.parallel runs them by default)."""
import threading

__all__ = ["process", "Parallel"]


class _Process:
    def __init__(self, fn, args, kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs

    def run(self):
        self.fn(*self.args, **self.kwargs)


def process(fn):
    def make(*args, **kwargs):
        return _Process(fn, args, kwargs)
    return make


def Parallel(*processes):
    threads = [threading.Thread(target=p.run) for p in processes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
