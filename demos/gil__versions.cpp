// The `gil` demo's three lecture programs: countdown(COUNT) once, in two threads and in
// two processes, each between two readings of the clock CPU work is timed against.
//
// That clock (cpu_cost.h) is real seconds, not the lecture clock: counting is work, not
// waiting, so --time-scale and --fast cannot make it shorter (as in pool__counting.cpp).
// In a deterministic run it is the virtual clock, and every step of a countdown costs the
// cost model's 0.3 ns on it, the two threads' steps side by side.
#include <algorithm>

#include "core/concur.h"
#include "demos/gil.h"
#include "core/process/process.h"
#include "core/process/queue.h"

namespace concur::demos::gil {

// The lecture's countdown(n): `while n>0: n -= 1`. n is volatile: each step loads it from
// memory and stores it back (as Python's n is an object in memory), so the compiler cannot
// fold the loop into `n = 0` and every one of the n steps really runs, at a fraction of a
// nanosecond each (in a deterministic run: done in blocks, each charged on the virtual
// clock). Returns where n ended (0).
long long countdown(long long count) {
  volatile long long n = count;
  cpu::work(count, cpu::kDecrementSeconds, [&](long long steps) { count_down(n, steps); });
  return n;
}

// `steps` steps of countdown's loop: while n > n_before - steps: n -= 1.
void count_down(volatile long long& n, long long steps) {
  long long until = n - steps;
  while (n > until) n = n - 1;
}

// Code 1: one countdown in the main thread.
CountdownRun sequential(long long count) {
  double start = cpu::clock();
  long long n = countdown(count);
  double end = cpu::clock();
  return {end - start, {n}};
}

// Code 2: t1 and t2 count COUNT//2 each; started together, then joined.
CountdownRun two_threads(long long count) {
  long long n1 = -1, n2 = -1;
  Thread t1({.target = [&] { n1 = countdown(count / 2); }, .target_name = "countdown"});
  Thread t2({.target = [&] { n2 = countdown(count / 2); }, .target_name = "countdown"});

  double start = cpu::clock();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  double end = cpu::clock();
  return {end - start, {n1, n2}};
}

// multiprocessing: p1 and p2 count COUNT//2 each, in their own process; each child puts the
// n its loop ended with on a Queue, so the parent sees that both really reached 0.
CountdownRun two_processes(long long count) {
  process::Queue finals;
  auto child = [&] { finals.put(countdown(count / 2)); };

  // creating processes, starting them, waiting until both are finished
  double start = cpu::clock();
  process::Process p1({.target = child});
  process::Process p2({.target = child});
  p1.start();
  p2.start();
  p1.join();
  p2.join();
  double end = cpu::clock();

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
