// The `gil` demo's `simulated-gil` part: Code 2's two threads, but each may count only
// while it holds one global interpreter lock, as CPython's threads may only run bytecode
// while they hold the GIL.
//
// The lock is a ticket lock: take() draws the next ticket and waits until that ticket is
// served, so the threads get it in the order they asked. Every `switch_interval` steps the
// holder looks whether another thread is waiting and, if so, drops the lock and queues up
// again behind it. Without that fairness the holder could take the lock straight back and
// count to the end before the other began. CPython's switch interval is 5 ms, about 100000
// steps of the lecture's countdown (2.5 s for 50,000,000): the default here.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/concur.h"
#include "demos/gil.h"

namespace concur::demos::gil {
namespace {

class InterpreterLock {
 public:
  // take_gil(): wait for our turn, then hold the lock.
  void take() {
    std::unique_lock lock(mu_);
    long long ticket = next_ticket_++;
    turn_.wait(lock, [&] { return serving_ == ticket; });
    if (holder_ != std::thread::id() && holder_ != std::this_thread::get_id()) ++handovers_;
    holder_ = std::this_thread::get_id();
  }

  // drop_gil(): the next ticket in line may run.
  void drop() {
    {
      std::lock_guard lock(mu_);
      ++serving_;
    }
    turn_.notify_all();
  }

  // The switch interval is up: if someone waits, let them run and queue up behind them.
  void switch_if_waiting() {
    {
      std::lock_guard lock(mu_);
      if (next_ticket_ == serving_ + 1) return;  // nobody but us
    }
    drop();
    take();
  }

  long long handovers() {
    std::lock_guard lock(mu_);
    return handovers_;
  }

 private:
  std::mutex mu_;
  std::condition_variable turn_;
  long long next_ticket_ = 0;  // the ticket the next take() draws
  long long serving_ = 0;      // the ticket that may hold the lock now
  std::thread::id holder_;
  long long handovers_ = 0;
};

// countdown(n) as the interpreter runs it: one step at a time, holding the lock, and every
// switch_interval steps a look at whether another thread wants it.
long long countdown_under_gil(InterpreterLock& gil, long long count, long long switch_interval) {
  gil.take();
  volatile long long n = count;  // in memory, as in countdown()
  long long steps = 0;
  while (n > 0) {
    n = n - 1;
    if (++steps == switch_interval) {
      steps = 0;
      gil.switch_if_waiting();
    }
  }
  gil.drop();
  return n;
}

}  // namespace

CountdownRun simulated_gil(long long count, long long switch_interval) {
  InterpreterLock gil;
  long long n1 = -1, n2 = -1;
  Thread t1({.target = [&] { n1 = countdown_under_gil(gil, count / 2, switch_interval); },
             .target_name = "countdown"});
  Thread t2({.target = [&] { n2 = countdown_under_gil(gil, count / 2, switch_interval); },
             .target_name = "countdown"});

  // Code 2 as before: start both, join both
  double start = real_time();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  double end = real_time();
  return {end - start, {n1, n2}, gil.handovers()};
}

}  // namespace concur::demos::gil
