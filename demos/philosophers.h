// The dining philosopher, shared by philosophers.cpp (the lecture's greedy-generous
// program and the dinner itself) and philosophers__strategies.cpp (naive, ordered, waiter).
#pragma once

#include <atomic>
#include <string>

#include "core/concur.h"

namespace concur::demos::dinner {

// The lecture's DiningPhilosopher(threading.Thread): thinks, gets hungry, dines, while
// DiningPhilosopher.running is true. How it takes its forks is its strategy: one of the
// dine functions below, chosen by the variant's run function.
class DiningPhilosopher : public Thread {
 public:
  // The lecture's class attribute: the dinner goes on while it is true.
  static inline std::atomic<bool> running{true};

  // The lecture's dine(): take one fork, try the other without waiting, swap if busy.
  void dine();
  // The other strategies (philosophers__strategies.cpp).
  void dine_naive();
  void dine_ordered();
  void dine_waiter();
  using Strategy = void (DiningPhilosopher::*)();

  // `waiter` is used only by dine_waiter.
  DiningPhilosopher(std::string xname, Lock& Leftfork, Lock& Rightfork, Strategy strategy, Semaphore& waiter)
      : Thread(ThreadArgs{.name = std::move(xname)}),
        Leftfork_(Leftfork),
        Rightfork_(Rightfork),
        strategy_(strategy),
        waiter_(waiter) {}

  // Meals eaten so far (read by main after join()).
  int meals() const { return meals_; }

 protected:
  void run() override;

 private:
  // Takes `fork` (blocking) and says so; the caller releases it.
  void pick_up(Lock& fork);
  void dine_with(Lock& first, Lock& second);
  // Eats with both forks held.
  void dining();
  bool lecture() const { return strategy_ == &DiningPhilosopher::dine; }

  Lock& Leftfork_;
  Lock& Rightfork_;
  Strategy strategy_;
  Semaphore& waiter_;
  int meals_ = 0;
};

// The philosophers' names: "1st", "2nd", "3rd", "4th", … "11th" (philosophers__strategies.cpp).
std::string ordinal(int k);

}  // namespace concur::demos::dinner
