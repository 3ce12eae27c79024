// Lock, part `counter` and `manual`: counters that stay exact because every increment
// happens under a lock.
//
// 002 "Using Locks": two threads each add 1 to counter_1 and 2 to counter_2 a hundred
// thousand times inside `with counter_lock:` (std::lock_guard here), then five threads
// named MyCustomThread each add one to a counter and print it under the lock.
// 002 "What is with?": the same increment written without `with`: acquire() by hand,
// try, and release() in the finally — which C++ spells as release on both ways out.
#include <memory>
#include <mutex>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// 002 "Using Locks", first program: two counters moved together under one lock.
void increment_counters(Lock& counter_lock, long long& counter_1, long long& counter_2, long long times) {
  for (long long i = 0; i < times; ++i) {
    // Acquire lock before modifying the shared variable
    std::lock_guard with(counter_lock);
    counter_1 += 1;
    counter_2 += 2;
  }
}

// 002 "Using Locks", second program: lock is automatically acquired and released.
void increment_counter(Lock& lock, long long& counter) {
  std::lock_guard with(lock);
  counter += 1;
  print("Counter: {}", counter);
}

// 002 "What is with?": the same lock, acquired and released by hand.
void increment_counter_manually(Lock& counter_lock, long long& counter, long long times) {
  for (long long i = 0; i < times; ++i) {
    counter_lock.acquire();  // Manually acquire the lock
    try {
      counter += 1;
    } catch (...) {
      counter_lock.release();  // finally, on the way out of an error...
      throw;
    }
    counter_lock.release();  // ...and on the normal way out: Manually release the lock
  }
}

}  // namespace

Check run_lock_counter(const Context& ctx) {
  // Two threads, two counters, one lock; a hundred thousand increments each
  long long times = ctx.loops(100000);
  long long counter_1 = 0, counter_2 = 0;
  Lock counter_lock("counter_lock");
  {
    Thread thread1({.target = [&] { increment_counters(counter_lock, counter_1, counter_2, times); },
                    .target_name = "increment_counter"});
    Thread thread2({.target = [&] { increment_counters(counter_lock, counter_1, counter_2, times); },
                    .target_name = "increment_counter"});
    thread1.start();
    thread2.start();
    // Wait for threads to finish
    thread1.join();
    thread2.join();
  }
  print("Final Counter Value: counter_1={} , counter_2={}", counter_1, counter_2);

  // Five threads named MyCustomThread, each adding one and printing it under the lock
  long long counter = 0;
  Lock lock("lock");
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 5; ++i) {
    threads.push_back(std::make_unique<Thread>(
        ThreadArgs{.target = [&] { increment_counter(lock, counter); }, .name = "MyCustomThread"}));
    threads.back()->start();
  }
  for (auto& thread : threads) thread->join();
  print("Waiting finish for main thread, all other thread joined main thread");
  print("Final Counter: {}", counter);

  bool held = counter_1 == 2 * times && counter_2 == 4 * times && counter == 5;
  return {held, fmt::format("counters exact: counter_1={}/{}, counter_2={}/{}, counter={}/5", counter_1, 2 * times,
                            counter_2, 4 * times, counter)};
}

Check run_lock_manual(const Context& ctx) {
  long long times = ctx.loops(10000);
  long long counter = 0;
  Lock counter_lock("counter_lock");

  // Create and start threads
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 2; ++i)
    threads.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [&] { increment_counter_manually(counter_lock, counter, times); },
                                            .target_name = "increment_counter"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();

  print("Final Counter Value: {}", counter);
  bool held = counter == 2 * times && !counter_lock.locked();
  return {held, fmt::format("counter exact with acquire/try/release by hand: {}/{}, lock left {}", counter,
                            2 * times, counter_lock.locked() ? "held" : "free")};
}

}  // namespace concur::demos
