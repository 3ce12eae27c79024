# seeds/004 (tutorial "Concurrency in Python"), "Sets", Example (extending the class). The
# slide's two blocks joined, delete() indented into the class (the extraction lost that
# indentation). The slide only defines the class: the program prints nothing. (Lock is
# not imported and set has no delete(): the slide's own slips, left as they are.)
class extend_class(set):
    def __init__(self, *args, **kwargs):
        self._lock = Lock()
        super(extend_class, self).__init__(*args, **kwargs)

    def add(self, elem):
        self._lock.acquire()
        try:
            super(extend_class, self).add(elem)
        finally:
            self._lock.release()

    def delete(self, elem):
        self._lock.acquire()
        try:
            super(extend_class, self).delete(elem)
        finally:
            self._lock.release()
