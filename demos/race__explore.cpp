// The `race` demo's `--explore` part: instead of running two threads and seeing what they
// happened to do, list every order in which their steps could run, and count where each
// order leaves x.
//
// The model is race.cpp's increment_global() cut into its two steps: `register = x` (a load)
// then `x = register + 1` (a store). Thread-1 and Thread-2 each increment K times
// (--increments, 1 to 4), so each takes 2K steps, and a schedule is one interleaving of the
// two step lists: C(4K, 2K) of them (6, 70, 924, 12870). Every schedule is replayed on a
// fresh x, and the final values are counted. This is a computation, not a run of threads:
// the main thread prints everything, and the numbers are exact, the same on every run.
// With --variant locked, a thread that has loaded holds the lock until it has stored, so the
// other may not load in between: C(2K, K) schedules, and every one ends with x = 2K.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/race.h"

namespace concur::demos {
namespace {

// A schedule: who takes each step, 1 (Thread-1) or 2 (Thread-2).
using Schedule = std::vector<int>;

// What one step of a schedule did, for the table.
struct Step {
  int thread;
  bool load;      // true: register = x; false: x = register + 1
  long r;         // the thread's register (r1 or r2) after the step
  long x;         // x after the step
};

// Every schedule that extends `prefix` when Thread-1 has `left1` steps still to take and
// Thread-2 `left2`. A thread's next step is a load when it has an even number left, so an odd
// number left means it has loaded and not yet stored: under the lock, the other waits.
void all_schedules(Schedule& prefix, int left1, int left2, bool locked, std::vector<Schedule>& schedules) {
  if (left1 == 0 && left2 == 0) {
    schedules.push_back(prefix);
    return;
  }
  bool holds1 = left1 % 2 == 1, holds2 = left2 % 2 == 1;
  if (left1 > 0 && !(locked && holds2)) {
    prefix.push_back(1);
    all_schedules(prefix, left1 - 1, left2, locked, schedules);
    prefix.pop_back();
  }
  if (left2 > 0 && !(locked && holds1)) {
    prefix.push_back(2);
    all_schedules(prefix, left1, left2 - 1, locked, schedules);
    prefix.pop_back();
  }
}

// Replay one schedule from x = 0: each thread's steps alternate load, store, load, store...
std::vector<Step> run_schedule(const Schedule& schedule) {
  long x = 0;
  long registers[3] = {0, 0, 0};  // registers[1] is Thread-1's r1, registers[2] Thread-2's r2
  int taken[3] = {0, 0, 0};
  std::vector<Step> steps;
  for (int t : schedule) {
    bool load = taken[t] % 2 == 0;
    if (load)
      registers[t] = x;  // register = x
    else
      x = registers[t] + 1;  // x = register + 1
    ++taken[t];
    steps.push_back({t, load, registers[t], x});
  }
  return steps;
}

long long binomial(int n, int k) {
  long long c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

std::string plural(long long n, const std::string& word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

Check race_explore(const Context& ctx, bool locked) {
  int increments = static_cast<int>(ctx.integer("increments"));

  // Every interleaving of the two threads' 2K steps
  std::vector<Schedule> schedules;
  Schedule prefix;
  all_schedules(prefix, 2 * increments, 2 * increments, locked, schedules);
  print("Two threads, {} each, {}: {}.", plural(increments, "increment"),
        locked ? "each increment under the lock" : "as load/store steps", plural(schedules.size(), "schedule"));

  // Replay each one and count its final x
  std::map<long, long long> final_x;  // final value -> how many schedules end there
  for (const auto& schedule : schedules) ++final_x[run_schedule(schedule).back().x];

  // The distribution as a bar chart, the longest bar 40 wide
  long long most = 0;
  for (const auto& [x, count] : final_x) most = std::max(most, count);
  int width = static_cast<int>(plural(most, "schedule").size());
  for (const auto& [x, count] : final_x) {
    std::string bar(std::max(1LL, (count * 40 + most / 2) / most), '#');
    print("x = {}  {:<40}  {:>{}} ({:.1f}%)", x, bar, plural(count, "schedule"), width,
          100.0 * count / static_cast<double>(schedules.size()));
  }

  // The first schedule that reaches the lowest value, step by step
  long lowest = final_x.begin()->first, highest = final_x.rbegin()->first;
  auto found = std::find_if(schedules.begin(), schedules.end(),
                            [&](const Schedule& s) { return run_schedule(s).back().x == lowest; });
  print("One schedule that ends with x = {}:", lowest);
  print("  step  thread    does   register  x");
  int number = 0;
  for (const auto& step : run_schedule(*found))
    print("  {:>4}  Thread-{}  {:<5}  {:<8}  x = {}", ++number, step.thread, step.load ? "load" : "store",
          fmt::format("r{} = {}", step.thread, step.r), step.x);

  // Exact counts: all C(4K, 2K) schedules (C(2K, K) under the lock) were counted, x = 2K is
  // reached, and the lowest is the known one: 1 for K = 1, else 2 (2K under the lock)
  long long expected = locked ? binomial(2 * increments, increments) : binomial(4 * increments, 2 * increments);
  long long total = 0;
  for (const auto& [x, count] : final_x) total += count;
  long expected_lowest = locked ? 2 * increments : std::min(increments, 2);
  bool held = total == expected && static_cast<long long>(schedules.size()) == expected && highest == 2 * increments &&
              lowest == expected_lowest;
  return {held, fmt::format("{} schedules, C({}, {}) = {}; final x from {} to {}, {} (no update lost) in {} of them",
                            total, locked ? 2 * increments : 4 * increments, locked ? increments : 2 * increments,
                            expected, lowest, highest, 2 * increments, final_x[2 * increments])};
}

}  // namespace concur::demos
