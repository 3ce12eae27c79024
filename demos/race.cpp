// A race condition: two threads add 1 to a shared x, and some of the additions vanish.
//
// Tutorial 004 "Race condition" (`unsafe`): main() starts two threads that each call
// increment_global() `iterations` times (50000 in the lecture), joins them and prints x;
// five times over. x should be 100000 every time; the slide shows 54034, 80230, ...
// 004 "Dealing with race condition using locks" (`locked`): the same threads take a Lock
// around every increment, and x is 100000 every time.
//
// C++ is not Python: two threads writing a plain long is undefined behaviour, not a race
// with a result. So x (the run's own, passed to the threads) is a std::atomic<long>, but
// increment_global() reads it and writes it back in two separate steps (x.store(x.load() +
// 1)), just as Python's `x += 1` is a load, an add and a store. That is defined behaviour
// which still loses an update each time the other thread stores between our load and our
// store. Both threads wait at a start gate (a Barrier of 2) and are released together, so
// their loops overlap instead of one finishing before the other has started. Each line says
// how many updates were lost.
// `--explore` runs no threads: race__explore.cpp counts every order the steps could take.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/race.h"

namespace concur::demos {
namespace {

// x += 1 as two separate atomic steps: another thread may store in between. The yield
// points are where Python's interpreter may switch threads, between two bytecodes: a real
// run passes straight through them, a --deterministic run lets the seed pick who goes next.
void increment_global(std::atomic<long>& x) {
  yield_point("x.load");
  long v = x.load();
  yield_point("x.store");
  x.store(v + 1);
}

// What one thread does in one round: wait at the gate, then increment `iterations`
// times, under `lock` when there is one. Returns how many increments it made.
long taskofThread(std::atomic<long>& x, Barrier& gate, Lock* lock, long long iterations) {
  gate.wait();
  long made = 0;
  for (long long i = 0; i < iterations; ++i) {
    if (lock) lock->acquire();
    increment_global(x);
    if (lock) lock->release();
    ++made;
  }
  return made;
}

// The lecture's main(): reset x, run t1 and t2 to the end. Returns the increments made.
long main_round(std::atomic<long>& x, bool locked, long long iterations) {
  x.store(0);
  Lock lock("lock");
  Barrier gate(2, {}, std::nullopt, "start gate");
  Lock* guard = locked ? &lock : nullptr;
  long made1 = 0, made2 = 0;

  // Two threads on the same task, started one after the other, released together
  Thread t1({.target = [&] { made1 = taskofThread(x, gate, guard, iterations); }, .target_name = "taskofThread"});
  Thread t2({.target = [&] { made2 = taskofThread(x, gate, guard, iterations); }, .target_name = "taskofThread"});
  t1.start();
  t2.start();

  // Wait until both have finished their increments
  t1.join();
  t2.join();
  return made1 + made2;
}

std::string lost_note(long lost) {
  if (lost == 0) return "";
  return fmt::format(" ({} update{} lost)", lost, lost == 1 ? "" : "s");
}

// One round: the increments the threads made and the x they left, for the check.
struct Round {
  long made;
  long x;
};

Check check_race(const std::vector<Round>& rounds, long long expected, bool locked);

// Both variants: the lecture's rounds, `locked` or not; or, with --explore, every schedule.
Check race(const Context& ctx, bool locked) {
  if (ctx.flag("explore")) return race_explore(ctx, locked);
  long long iterations = ctx.integer("iterations");
  std::atomic<long> x{0};  // the lecture's global x: atomic so that every access is defined behaviour

  // for i in range(5): main(), then print x and, here, the updates that were lost
  std::vector<Round> rounds;
  for (long long i = 0; i < ctx.integer("rounds"); ++i) {
    long made = main_round(x, locked, iterations);
    long value = x.load();
    print("x = {1} after Iteration {0}{2}", i, value, lost_note(2 * iterations - value));
    rounds.push_back({made, value});
  }
  return check_race(rounds, 2 * iterations, locked);
}

}  // namespace

Check run_race_unsafe(const Context& ctx) { return race(ctx, /*locked=*/false); }
Check run_race_locked(const Context& ctx) { return race(ctx, /*locked=*/true); }

namespace {

// Under the lock every round is exact; without it, x never passes 2 x iterations and every
// loss was reported exactly. Each round's x goes to the census of --runs.
Check check_race(const std::vector<Round>& rounds, long long expected, bool locked) {
  long long rounds_with_loss = 0, total_lost = 0, exact_rounds = 0;
  bool within_bounds = true, reports_exact = true;
  std::vector<Outcome> outcomes;
  for (const Round& r : rounds) {
    long lost = expected - r.x;
    outcomes.push_back({"final x", std::to_string(r.x)});
    within_bounds = within_bounds && r.x <= expected;
    reports_exact = reports_exact && r.made == expected && r.x + lost == r.made;
    if (lost > 0) {
      ++rounds_with_loss;
      total_lost += lost;
    }
    if (r.x == expected) ++exact_rounds;
  }
  long long n = static_cast<long long>(rounds.size());

  // The lock: every round must be exact
  if (locked)
    return {exact_rounds == n,
            fmt::format("x = {} after {}/{} iterations under the lock (no update lost)", expected, exact_rounds, n),
            outcomes};

  // Without it: say how much was lost; losing nothing is a possible (lucky) outcome
  if (total_lost > 0)
    print("Updates lost in {} of {} iterations: {} of {} increments in all.", rounds_with_loss, n, total_lost,
          expected * n);
  else
    print("No update lost in {} iterations this time: the threads did not collide.", n);
  return {within_bounds && reports_exact,
          fmt::format("x never passed {} and every loss was reported exactly: {} of {} increments lost "
                      "in {}/{} iterations",
                      expected, total_lost, expected * n, rounds_with_loss, n),
          outcomes};
}

}  // namespace

}  // namespace concur::demos
