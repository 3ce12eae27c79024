// The `gil` demo's `simulated-gil` part: Code 2's two threads, but each may count only
// while it holds one global interpreter lock, as CPython's threads may only run bytecode
// while they hold the GIL.
//
// The lock is a ticket lock on the core's Lock and Condition (CPython's GIL is a mutex and
// a condition variable too): take() draws the next ticket and waits until that ticket is
// served, so the threads get it in the order they asked. Every `switch_interval` steps the
// holder looks whether another thread is waiting and, if so, drops the lock and queues up
// again behind it. Without that fairness the holder could take the lock straight back and
// count to the end before the other began. CPython's switch interval is 5 ms, about 100000
// steps of the lecture's countdown (2.5 s for 50,000,000): the default here. In a
// deterministic run the holder's steps cost virtual time while it holds its turn, so the
// two threads' counts add up, as Python's do.
#include <algorithm>
#include <mutex>

#include "core/concur.h"
#include "demos/gil.h"

namespace concur::demos::gil {
namespace {

class InterpreterLock {
 public:
  // take_gil(): wait for our turn, then hold the lock.
  void take() {
    std::lock_guard with(turn_);
    long long ticket = next_ticket_++;
    turn_.wait_for([&] { return serving_ == ticket; });
    if (holder_ != 0 && holder_ != get_ident()) ++handovers_;
    holder_ = get_ident();
  }

  // drop_gil(): the next ticket in line may run.
  void drop() {
    std::lock_guard with(turn_);
    ++serving_;
    turn_.notify_all();
  }

  // The switch interval is up: if someone waits, let them run and queue up behind them.
  void switch_if_waiting() {
    {
      std::lock_guard with(turn_);
      if (next_ticket_ == serving_ + 1) return;  // nobody but us
    }
    drop();
    take();
  }

  long long handovers() {
    std::lock_guard with(turn_);
    return handovers_;
  }

 private:
  Lock mutex_{"interpreter lock"};
  Condition turn_{mutex_, "interpreter lock's turn"};
  long long next_ticket_ = 0;  // the ticket the next take() draws
  long long serving_ = 0;      // the ticket that may hold the lock now
  long holder_ = 0;            // get_ident() of the thread that held it last
  long long handovers_ = 0;
};

// countdown(n) as the interpreter runs it: holding the lock, switch_interval steps at a
// time, and after each but the last a look at whether another thread wants it.
long long countdown_under_gil(InterpreterLock& gil, long long count, long long switch_interval) {
  gil.take();
  volatile long long n = count;  // in memory, as in countdown()
  for (;;) {
    long long left = n;
    cpu::work(std::min(left, switch_interval), cpu::kDecrementSeconds, [&](long long steps) { count_down(n, steps); });
    if (n <= 0) break;
    gil.switch_if_waiting();
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
  double start = cpu::clock();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  double end = cpu::clock();
  return {end - start, {n1, n2}, gil.handovers()};
}

}  // namespace concur::demos::gil
