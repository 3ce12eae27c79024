"""Stand-in for PyFunctional: seq(...).map().filter().reduce()."""
import functools


class _Sequence:
    def __init__(self, items):
        self._items = list(items)

    def map(self, fn):
        return _Sequence(map(fn, self._items))

    def filter(self, fn):
        return _Sequence(filter(fn, self._items))

    def reduce(self, fn):
        return functools.reduce(fn, self._items)


def seq(*items):
    if len(items) == 1 and not isinstance(items[0], (int, float, str)):
        items = items[0]
    return _Sequence(items)
