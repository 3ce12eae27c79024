# seeds/004 (tutorial "Concurrency in Python"), "RxPY – Python Module for Reactive
# Programming". As shown. Needs RxPY 1.x (shims/rx stands in when it is not installed).
from rx import Observable, Observer

def get_strings(observer):
    observer.on_next("Ram")
    observer.on_next("Mohan")
    observer.on_next("Shyam")
    observer.on_completed()

class PrintObserver(Observer):
    def on_next(self, value):
        print("Received {}".format(value))
    def on_completed(self):
        print("Finished")
    def on_error(self, error):
        print("Error: {}".format(error))

source = Observable.create(get_strings)
source.subscribe(PrintObserver())
