# seeds/004 (tutorial "Concurrency in Python"), "PyFunctional library for reactive
# programming". The reduce's lambda joined back onto one line. Needs PyFunctional
# (shims/functional stands in when it is not installed).
from functional import seq

result = seq(1,2,3).map(lambda x: x*2).filter(lambda x: x >4).reduce(lambda x, y: x + y)

print ("Result: {}".format(result))
