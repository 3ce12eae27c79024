// timeit: measuring how long code takes, with a timer read before and after it.
//
// 004 "Python module for benchmarking" (`timer`): timeit.default_timer() is read before
// functionA() and after it, and the difference printed; then the same for functionB().
// The two functions only print, so each takes a tiny fraction of a second.
// 004 "Writing our own timer using the decorator function" (`decorator`): timer_func wraps
// Myfunction, which sleeps five times for 1 or 2 s (random.choice(range(1, 3))); the
// wrapper reads time.time() before and after the call and prints "Myfunction took
// 8.000457763671875 seconds to complete its execution." The decorator becomes a small
// class here, FunctionTimer, holding the wrapped function and its name. The default `all`
// runs both, in the lecture's order.
//
// Both clocks are the lecture clock (timeit.default_timer is time.perf_counter), so a
// --fast run prints lecture seconds: about 8 for five sleeps of 1-2 s.
//
// The checks: each function's measured time is tiny (well under a lecture second); the
// decorator's measured time matches how long the sleeps Myfunction chose took (within 25%).
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/support.h"

namespace concur::demos {
namespace {

void functionA() {
  print("Function A starts the execution:");
  print("Function A completes the execution:");
}

void functionB() {
  print("Function B starts the execution");
  print("Function B completes the execution");
}

// For the check: the sleeps Myfunction chose, and how long they took on this machine (a
// loaded one wakes a sleeper late: at --fast, by lecture seconds).
struct Sleeps {
  double slept = 0;
  double took = 0;
};

void Myfunction(Sleeps& sleeps) {
  for (int x = 0; x < 5; ++x) {
    int sleep_time = random::choice(std::vector<int>{1, 2});  // random.choice(range(1, 3))
    double before = time::perf_counter();
    time::sleep(sleep_time);
    sleeps.took += time::perf_counter() - before;
    sleeps.slept += sleep_time;
  }
}

// timer_func(func): calling it calls func between two readings of time.time() and prints
// how long func took.
class FunctionTimer {
 public:
  FunctionTimer(std::string name, std::function<void()> func) : name_(std::move(name)), func_(std::move(func)) {}

  void operator()() {
    double start = time::time();
    func_();
    double end = time::time();
    runtime_ = end - start;
    print("{} took {} seconds to complete its execution.", name_, py_float(runtime_));
  }

  double runtime() const { return runtime_; }

 private:
  std::string name_;
  std::function<void()> func_;
  double runtime_ = 0;
};

Check check_decorator(double measured, const Sleeps& sleeps);

}  // namespace

Check run_timeit_timer(const Context&) {
  // Time functionA, then functionB, with timeit.default_timer()
  double start_time = time::perf_counter();
  functionA();
  double took_a = time::perf_counter() - start_time;
  print("{}", py_float(took_a));
  start_time = time::perf_counter();
  functionB();
  double took_b = time::perf_counter() - start_time;
  print("{}", py_float(took_b));

  bool held = took_a >= 0 && took_a < 1 && took_b >= 0 && took_b < 1;
  return {held, fmt::format("functionA took {:.4f} s and functionB {:.4f} s: each only prints two lines, so "
                            "well under a lecture second",
                            took_a, took_b)};
}

Check run_timeit_decorator(const Context&) {
  Sleeps sleeps;
  // @timer_func: Myfunction, wrapped in a timer, then called
  FunctionTimer timed_Myfunction("Myfunction", [&] { Myfunction(sleeps); });
  timed_Myfunction();
  return check_decorator(timed_Myfunction.runtime(), sleeps);
}

// Both, in the lecture's order.
Check run_timeit_all(const Context& ctx) {
  Check timer = run_timeit_timer(ctx);
  Check decorator = run_timeit_decorator(ctx);
  return {timer.held && decorator.held, fmt::format("{}; {}", timer.message, decorator.message)};
}

namespace {

// The timer measured the sleeps: at least as long as they took on this machine (the lecture's
// 5-10 s, and the time the machine took to wake Myfunction after each), and not 25% more.
Check check_decorator(double measured, const Sleeps& sleeps) {
  bool held = measured >= sleeps.took - 1e-6 && measured <= sleeps.took * 1.25;
  return {held,
          fmt::format("the timer measured {:.2f} s for Myfunction's five sleeps of {} s in all, which took {:.2f} "
                      "s here (within 25%)",
                      measured, sleeps.slept, sleeps.took)};
}

}  // namespace

}  // namespace concur::demos
