// The `gil` demo's three lecture programs: countdown(COUNT) once, in two threads and in
// two processes, each between two readings of a real clock.
//
// The clock is steady_clock in real seconds, not the lecture clock: counting is work, not
// waiting, so --time-scale and --fast cannot make it shorter (as in pool__counting.cpp).
#include <algorithm>
#include <chrono>

#include "core/concur.h"
#include "demos/gil.h"
#include "core/process/process.h"
#include "core/process/queue.h"

namespace concur::demos::gil {

// Real seconds on a monotonic clock: the lecture's time.time(), for work rather than sleep.
double real_time() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The lecture's countdown(n): `while n>0: n -= 1`. n is volatile: each step loads it from
// memory and stores it back (as Python's n is an object in memory), so the compiler cannot
// fold the loop into `n = 0` and every one of the n steps really runs, at a few
// nanoseconds each. Returns where n ended (0).
long long countdown(long long count) {
  volatile long long n = count;
  while (n > 0) n = n - 1;
  return n;
}

// Code 1: one countdown in the main thread.
CountdownRun sequential(long long count) {
  double start = real_time();
  long long n = countdown(count);
  double end = real_time();
  return {end - start, {n}};
}

// Code 2: t1 and t2 count COUNT//2 each; started together, then joined.
CountdownRun two_threads(long long count) {
  long long n1 = -1, n2 = -1;
  Thread t1({.target = [&] { n1 = countdown(count / 2); }, .target_name = "countdown"});
  Thread t2({.target = [&] { n2 = countdown(count / 2); }, .target_name = "countdown"});

  double start = real_time();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  double end = real_time();
  return {end - start, {n1, n2}};
}

// multiprocessing: p1 and p2 count COUNT//2 each, in their own process; each child puts the
// n its loop ended with on a Queue, so the parent sees that both really reached 0.
CountdownRun two_processes(long long count) {
  process::Queue finals;
  auto child = [&] { finals.put(countdown(count / 2)); };

  // creating processes, starting them, waiting until both are finished
  double start = real_time();
  process::Process p1({.target = child});
  process::Process p2({.target = child});
  p1.start();
  p2.start();
  p1.join();
  p2.join();
  double end = real_time();

  CountdownRun run{end - start, {}};
  for (int i = 0; i < 2; ++i) run.finals.push_back(finals.empty() ? -1 : finals.get().as_int());
  if (p1.exitcode() != 0 || p2.exitcode() != 0) run.finals.push_back(-1);
  return run;
}

// The fastest of three runs, as timeit's repeat is read: the slower ones were held up by
// something else on the machine (a thread that waited a few milliseconds for a core). A
// run whose counters missed 0 is returned at once, for the check to see.
CountdownRun best_of_three(const std::function<CountdownRun()>& run) {
  CountdownRun best = run();
  for (int i = 1; i < 3; ++i) {
    CountdownRun next = run();
    if (std::any_of(next.finals.begin(), next.finals.end(), [](long long n) { return n != 0; })) return next;
    if (next.seconds < best.seconds) best = next;
  }
  return best;
}

}  // namespace concur::demos::gil
