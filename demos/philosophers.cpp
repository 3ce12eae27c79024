// The dining philosophers: deadlock, and ways to dine without one.
//
// Tutorial 004 "Deadlocks: The Dining Philosophers problem". Five philosophers, 1st … 5th, sit
// at a round table with a fork between each two; a philosopher needs both forks to eat. Each
// is a thread, each fork a Lock ("fork 1" … "fork 5"); philosopher i has fork i on the left
// and fork i+1 on the right. The lecture's program (`greedy-generous`, the default) avoids the
// deadlock: a philosopher takes one fork, only *tries* the other (acquire(false)), and if it
// is busy puts the first back and swaps the order. The dinner lasts 30 s, then " It is
// finishing.". The other variants are in philosophers__strategies.cpp: `naive` (left, then
// right: the deadlock happens; the core detects the cycle, prints who holds and waits for
// which fork, and unwinds the philosophers), `ordered` (lower-numbered fork first) and
// `waiter` (a Semaphore(n-1) lets at most n-1 reach for forks at once).
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <vector>

#include "demos/demos.h"
#include "demos/philosophers.h"

namespace concur::demos {
namespace dinner {

void DiningPhilosopher::run() {
  while (running) {
    // Think: 3 to 13 s in the lecture; the strategies think briefly, so all get hungry together
    time::sleep(lecture() ? random::uniform(3, 13) : random::uniform(1, 2));
    print("{} is hungry.", name());
    (this->*strategy_)();
  }
}

void DiningPhilosopher::dine() {
  Lock* fork1 = &Leftfork_;
  Lock* fork2 = &Rightfork_;
  // Wait for one fork, only try the other; if it is busy, put the first back and swap
  bool locked = false;
  while (running) {
    fork1->acquire(true);
    locked = fork2->acquire(false);
    if (locked) break;
    fork1->release();
    print("{} swaps forks", name());
    std::swap(fork1, fork2);
  }
  if (!locked) return;  // Python's while ... else: the dinner ended before he got both

  // Both forks held: eat, then put them down
  dining();
  fork2->release();
  fork1->release();
}

void DiningPhilosopher::dining() {
  print("{} starts eating", name());
  time::sleep(lecture() ? random::uniform(1, 10) : random::uniform(1, 3));
  print("{} finishes eating and now thinking.", name());
  ++meals_;
}

}  // namespace dinner

using dinner::DiningPhilosopher;
namespace {

Check check_dinner(const std::vector<std::unique_ptr<DiningPhilosopher>>& philosophers, double duration,
                   const std::string& meals, bool naive);

// The lecture's Dining_Philosophers(), each philosopher taking his forks by `strategy`.
Check Dining_Philosophers(const Context& ctx, DiningPhilosopher::Strategy strategy) {
  int n = static_cast<int>(ctx.integer("philosophers"));
  double duration = static_cast<double>(ctx.integer("duration"));

  // The forks, one Lock each, and (for `waiter` only) the waiter's n-1 seats
  std::deque<Lock> forks;
  for (int i = 1; i <= n; ++i) forks.emplace_back(fmt::format("fork {}", i));
  Semaphore waiter(n - 1, "waiter");

  // Philosopher i has fork i on the left and fork i+1 on the right
  std::vector<std::unique_ptr<DiningPhilosopher>> philosophers;
  for (int i = 0; i < n; ++i)
    philosophers.push_back(std::make_unique<DiningPhilosopher>(dinner::ordinal(i + 1), forks[i % n],
                                                               forks[(i + 1) % n], strategy, waiter));

  // Start the dinner and let it run: time.sleep(30). Joining with the time left waits just as
  // long, unless the deadlock detector has unwound every philosopher before the end
  DiningPhilosopher::running = true;
  for (auto& p : philosophers) p->start();
  double end = time::perf_counter() + duration;
  for (auto& p : philosophers) p->join(std::max(0.0, end - time::perf_counter()));
  DiningPhilosopher::running = false;
  print(" It is finishing.");

  // Everyone finishes the meal in hand and goes home; then count the meals
  for (auto& p : philosophers) p->join();
  std::vector<std::string> counts;
  for (auto& p : philosophers) counts.push_back(fmt::format("{} {}", p->name(), p->meals()));
  std::string meals = fmt::format("{}", fmt::join(counts, ", "));
  print("Meals: " + meals);
  return check_dinner(philosophers, duration, meals, strategy == &DiningPhilosopher::dine_naive);
}

}  // namespace

Check run_philosophers_greedy_generous(const Context& ctx) {
  return Dining_Philosophers(ctx, &DiningPhilosopher::dine);
}
Check run_philosophers_naive(const Context& ctx) { return Dining_Philosophers(ctx, &DiningPhilosopher::dine_naive); }
Check run_philosophers_ordered(const Context& ctx) {
  return Dining_Philosophers(ctx, &DiningPhilosopher::dine_ordered);
}
Check run_philosophers_waiter(const Context& ctx) { return Dining_Philosophers(ctx, &DiningPhilosopher::dine_waiter); }

namespace {

// The naive dinner must deadlock and be caught; the others must not, and feed everyone.
Check check_dinner(const std::vector<std::unique_ptr<DiningPhilosopher>>& philosophers, double duration,
                   const std::string& meals, bool naive) {
  int n = static_cast<int>(philosophers.size()), fed = 0;
  for (auto& p : philosophers) fed += p->meals() > 0;
  bool deadlocked = deadlock::reported();
  std::vector<Outcome> outcomes{{"dinner", deadlocked ? "deadlocked" : "no deadlock"}};
  for (auto& p : philosophers) outcomes.push_back({"meals eaten", p->name(), p->meals()});
  if (naive) {
    auto cycle = deadlock::report_lines().size();
    return {deadlocked, deadlocked ? fmt::format("the deadlock was detected and reported: {} philosophers each held "
                                                 "one fork and waited for the next ({} in the cycle)",
                                                 n, cycle > 0 ? cycle - 1 : 0)
                                   : fmt::format("no deadlock was detected in {} s (meals: {})", duration, meals),
            outcomes};
  }
  return {!deadlocked && fed == n,
          fmt::format("{}; {}/{} philosophers ate at least once",
                      deadlocked ? "a deadlock was reported" : "no deadlock", fed, n),
          outcomes};
}

}  // namespace

}  // namespace concur::demos
