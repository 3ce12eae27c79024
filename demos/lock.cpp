// Lock: one thread at a time in the critical section, and what "the critical section" covers.
//
// Lecture 001 "Introducing the acquire() and release() methods": nine MyThreadClass threads,
// Thread#1 … Thread#9, each sleeping randint(1,10) seconds. In `coarse` (the first slide) a
// thread holds threadLock from its "running" line to its "over" line, sleep included, so
// the threads run one after the other and the run takes the sum of the durations. In `fine`
// (the second slide) it releases the lock right after printing, sleeps outside it, and the
// run takes only as long as the longest sleep. The other variants live in the parts:
// `counter` and `manual` (002 "Using Locks", "What is with?") in lock__counter.cpp, `file`
// (003 "threading.Lock – Avoiding Race Conditions") in lock__file.cpp, `safe-set`
// (004 "Sets", "Decorator") in lock__safe_set.cpp, `with-lock` and `try-finally` (003's
// two increment() programs) in lock__increment.cpp.
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What the nine threads share: the lecture's module-level threadLock, and a counter that
// numbers the lines as they are printed (bookkeeping for the check, not in the lecture).
struct Shared {
  Lock thread_lock{"threadLock"};
  std::atomic<int> lines{0};
};

class MyThreadClass : public Thread {
 public:
  MyThreadClass(std::string name, long long duration, bool fine, Shared& shared)
      : Thread(ThreadArgs{.name = std::move(name)}), duration_(duration), fine_(fine), shared_(shared) {}

  long long duration() const { return duration_; }
  int running_line() const { return running_line_; }
  int over_line() const { return over_line_; }

 protected:
  void run() override {
    // Acquire the Lock
    shared_.thread_lock.acquire();
    running_line_ = shared_.lines++;
    print("---> {} running, belonging to process ID {}", name(), os::getpid());
    if (fine_) {
      // Release the Lock in this new point: the sleep happens outside it
      shared_.thread_lock.release();
      time::sleep(duration_);
      over_line_ = shared_.lines++;
      print("---> {} over", name());
    } else {
      // Hold the Lock across the sleep; release it only when over
      time::sleep(duration_);
      over_line_ = shared_.lines++;
      print("---> {} over", name());
      shared_.thread_lock.release();
    }
  }

 private:
  long long duration_;
  bool fine_;
  Shared& shared_;
  int running_line_ = -1;
  int over_line_ = -1;
};

Check check_acquire_release(const std::vector<std::unique_ptr<MyThreadClass>>& threads, double seconds, bool fine);

// coarse and fine: the lock held across the sleep, or released before it (`fine`).
Check run_acquire_release(bool fine) {
  Shared shared;
  double start_time = time::time();

  // Thread Creation: the lecture names them "Thread#1 " (with a space) and draws each duration
  std::vector<std::unique_ptr<MyThreadClass>> threads;
  for (int i = 1; i <= 9; ++i)
    threads.push_back(
        std::make_unique<MyThreadClass>(fmt::format("Thread#{} ", i), random::randint(1, 10), fine, shared));

  // Thread Running
  for (auto& t : threads) t->start();

  // Thread joining
  for (auto& t : threads) t->join();

  // End
  print("End");
  // Execution Time
  double seconds = time::time() - start_time;
  print("--- {} seconds ---", seconds);

  return check_acquire_release(threads, seconds, fine);
}

}  // namespace

Check run_lock_coarse(const Context&) { return run_acquire_release(/*fine=*/false); }
Check run_lock_fine(const Context&) { return run_acquire_release(/*fine=*/true); }

namespace {

// The total against the durations, and how many threads were between their "running" and
// "over" lines at once (1 if the lock serialised them). A total never ends early: the sleeps
// alone take the expected time. It may end late by as long as the machine takes to start and
// wake the threads (at --fast on a loaded machine, tens of lecture seconds), so what tells
// coarse from fine is the lines, not an upper bound on the total.
Check check_acquire_release(const std::vector<std::unique_ptr<MyThreadClass>>& threads, double seconds, bool fine) {
  std::vector<long long> durations;
  std::vector<int> change(2 * threads.size() + 1, 0);
  int alternating = 0;
  for (const auto& t : threads) {
    durations.push_back(t->duration());
    if (t->running_line() < 0 || t->over_line() < 0) continue;  // stopped before its lines
    if (t->over_line() == t->running_line() + 1) ++alternating;
    change[t->running_line()] += 1;
    change[t->over_line()] -= 1;
  }
  int now = 0, at_once = 0;
  for (int c : change) at_once = std::max(at_once, now += c);
  long long sum = std::accumulate(durations.begin(), durations.end(), 0LL);
  long long longest = *std::max_element(durations.begin(), durations.end());
  std::string listed = fmt::format("{}", fmt::join(durations, "+"));
  if (!fine) {
    bool held = seconds >= sum && alternating == 9;
    return {held, fmt::format("coarse: {:.2f} s, at least the sum of the durations {} s ({}; the rest is the "
                              "machine starting and waking threads); running/over alternated for {}/9 threads",
                              seconds, sum, listed, alternating)};
  }
  bool held = seconds >= longest && at_once > 1;
  return {held, fmt::format("fine: {:.2f} s, at least the longest duration {} s ({}; sum {} s); {} threads slept "
                            "at once",
                            seconds, longest, listed, sum, at_once)};
}

}  // namespace

}  // namespace concur::demos
