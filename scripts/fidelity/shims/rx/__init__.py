"""Stand-in for RxPY 1.x: Observable.create(subscribe_fn) and the Observer base class."""


class Observer:
    def on_next(self, value):
        pass

    def on_completed(self):
        pass

    def on_error(self, error):
        pass


class Observable:
    def __init__(self, subscribe_fn):
        self._subscribe_fn = subscribe_fn

    @staticmethod
    def create(subscribe_fn):
        return Observable(subscribe_fn)

    def subscribe(self, observer):
        try:
            self._subscribe_fn(observer)
        except Exception as error:  # as RxPY does: the error goes to on_error
            observer.on_error(error)
