// semaphore, part 2: a Semaphore(n) lets at most n threads in at once.
//
// `limit` (003 "Semaphore Objects in Threading"): Semaphore(2) and three threads running
// thread_task(1..3); each says it is waiting, acquires, prints "In process" five times and
// releases, so the third gets in only when one of the first two has left. `workers-4`
// (003 "Threading Example: Using Semaphore"): Semaphore(2), four workers named Thread-0 ...
// Thread-3 that hold it with `with semaphore:` across a 2-second sleep. `workers-5` (003
// "2. Semaphore (threading.Semaphore)"): Semaphore(3), five workers that acquire and release
// by hand around the same sleep. Every thread counts itself in and out of a gauge while it
// holds the semaphore, so the check can tell the most that were ever inside at once.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// How many threads hold the semaphore now, the most ever, and how many got in at all
// (bookkeeping for the check, not in the lecture).
struct Gauge {
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> entered{0};

  void enter() {
    int now = ++inside;
    ++entered;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
  }
  void leave() { --inside; }
};

void thread_task(Semaphore& sem, Gauge& gauge, int num) {
  print("Thread {}: Waiting", num);

  // Acquire the semaphore
  sem.acquire();
  gauge.enter();
  print("Thread {}: Acquired the semaphore", num);

  // Simulate some work
  for (int i = 0; i < 5; ++i) print("Thread {}: In process", num);

  // Release the semaphore when done
  gauge.leave();
  sem.release();
  print("Thread {}: Released the semaphore.", num);
}

// 003 "Threading Example: Using Semaphore": `with semaphore:` around the work.
void worker_named(Semaphore& semaphore, Gauge& gauge, const std::string& name) {
  std::lock_guard with(semaphore);
  gauge.enter();
  print("{} is working...", name);
  time::sleep(2);
  print("{} finished", name);
  gauge.leave();
}

// 003 "2. Semaphore (threading.Semaphore)": acquire and release by hand.
void worker(Semaphore& semaphore, Gauge& gauge, int thread_id) {
  semaphore.acquire();  // Acquire the semaphore
  gauge.enter();
  print("Thread {} is working...", thread_id);
  time::sleep(2);
  print("Thread {} is done.", thread_id);
  gauge.leave();
  semaphore.release();  // Release the semaphore
}

// Each program: `n` threads running task(semaphore, gauge, i) for i in 0..n-1, under one
// Semaphore(count); `target_name` names the thread's target, as Python does.
using Task = void (*)(Semaphore& semaphore, Gauge& gauge, int i);
Check run_limited(int count, int n, Task task, const std::string& target_name, bool announce_end) {
  Semaphore semaphore(count, "semaphore");
  Gauge gauge;

  // Create the threads: thread_task(1..3), or the workers 0..n-1.
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < n; ++i)
    threads.push_back(std::make_unique<Thread>(
        ThreadArgs{.target = [&, i] { task(semaphore, gauge, i); }, .target_name = target_name}));

  // Start them all, then wait for them all.
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  if (announce_end) print("All threads have finished.");

  return {gauge.most <= count && gauge.entered == n,
          fmt::format("Semaphore({}): at most {} of {} threads held it at once (never more than {}); "
                      "{}/{} got in",
                      count, gauge.most.load(), n, count, gauge.entered.load(), n)};
}

}  // namespace

Check run_semaphore_limit(const Context&) {
  Task task = [](Semaphore& sem, Gauge& gauge, int i) { thread_task(sem, gauge, i + 1); };
  return run_limited(2, 3, task, "thread_task", /*announce_end=*/true);
}

Check run_semaphore_workers_4(const Context&) {
  Task task = [](Semaphore& sem, Gauge& gauge, int i) { worker_named(sem, gauge, fmt::format("Thread-{}", i)); };
  return run_limited(2, 4, task, "worker", /*announce_end=*/false);
}

Check run_semaphore_workers_5(const Context&) { return run_limited(3, 5, worker, "worker", /*announce_end=*/false); }

}  // namespace concur::demos
