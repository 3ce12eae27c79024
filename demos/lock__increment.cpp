// Lock, parts `with-lock` and `try-finally`: the unit's two increment() programs.
//
// 003 "1. Using Lock for Synchronization" (again in "Threading Example: Using Lock")
// (`with-lock`): two threads each run increment(), a hundred thousand `counter += 1` inside
// `with lock:` (std::lock_guard here); main joins them and prints "Final Counter: 200000".
// 003 "Synchronization Primitives in Python", "1. Lock" (`try-finally`): ten threads each
// run increment() once: lock.acquire(), `counter += 1` in the try, lock.release() in the
// finally — which C++ spells as a release on both ways out. Main prints "Final Counter
// Value: 10".
//
// The checks: the counter is exact (no increment lost) and the lock is free at the end.
// In a --deterministic census or check each thread of `with-lock` increments 1000 times
// (ctx.loops()).
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// The programs' global `counter` and `lock`.
struct Shared {
  long long counter = 0;
  Lock lock{"lock"};
};

Check check_increment(const Shared& shared, long long expected, const std::string& how);

// `with-lock`: the lock acquired and released automatically around each increment.
void increment_with_lock(Shared& shared, long long times) {
  for (long long i = 0; i < times; ++i) {
    std::lock_guard with(shared.lock);  // Acquire and release the lock
    shared.counter += 1;
  }
}

// `try-finally`: acquire, increment in the try, release in the finally.
void increment_try_finally(Shared& shared) {
  shared.lock.acquire();  // Acquire the lock
  try {
    shared.counter += 1;
  } catch (...) {
    shared.lock.release();  // finally, on the way out of an error...
    throw;
  }
  shared.lock.release();  // ...and on the normal way out: Release the lock
}

}  // namespace

Check run_lock_with_lock(const Context& ctx) {
  Shared shared;
  long long times = ctx.loops(100000);

  // threads = [threading.Thread(target=increment) for _ in range(2)]
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 2; ++i)
    threads.push_back(std::make_unique<Thread>(
        ThreadArgs{.target = [&] { increment_with_lock(shared, times); }, .target_name = "increment"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();

  print("Final Counter: {}", shared.counter);
  return check_increment(shared, 2 * times, "2 threads x " + std::to_string(times) + " increments under `with lock:`");
}

Check run_lock_try_finally(const Context&) {
  Shared shared;

  // threads = [threading.Thread(target=increment) for _ in range(10)]
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 10; ++i)
    threads.push_back(std::make_unique<Thread>(
        ThreadArgs{.target = [&] { increment_try_finally(shared); }, .target_name = "increment"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();

  print("Final Counter Value: {}", shared.counter);
  return check_increment(shared, 10, "10 threads x 1 increment between acquire() and release() in finally");
}

namespace {

// No increment lost, and nobody left holding the lock.
Check check_increment(const Shared& shared, long long expected, const std::string& how) {
  bool exact = shared.counter == expected;
  bool free = !shared.lock.locked();
  return {exact && free, fmt::format("counter exact: {}/{} ({}); lock left {}", shared.counter, expected, how,
                                     free ? "free" : "held")};
}

}  // namespace

}  // namespace concur::demos
