// The dining philosophers, part `naive`, `ordered` and `waiter`: three ways to take two forks.
//
// The lecture describes the deadlock in words: "each of the five philosophers manages to
// pick the left fork at the same time", then all wait for ever for the right one.
// `naive` does exactly that: left fork, then right fork, both blocking. To make it happen
// rather than merely be possible, the philosophers get hungry close together (after
// 1–2 s of thought) and reach slowly for the second fork (kReach), so every left fork is
// taken before anyone reaches right. The core's detector sees the cycle (1st waits for
// fork 2 held by 2nd, who waits for fork 3 held by 3rd, …), prints it and unwinds them.
// The two classic ways out keep the same slow reach and still never deadlock:
// `ordered` takes the lower-numbered fork first, so the last philosopher reaches for
// fork 1 before fork N and the cycle cannot close; `waiter` asks a waiter for a seat
// first, a Semaphore(n-1), so at most n-1 philosophers hold forks and one of them always
// finds both free.
#include <mutex>
#include <string>

#include "demos/philosophers.h"

namespace concur::demos::dinner {

namespace {
// Lecture seconds between picking up the first fork and reaching for the second.
constexpr double kReach = 5;

// The number on a fork's label: "fork 12" -> 12.
int fork_number(Lock& fork) { return std::stoi(fork.site().label().substr(5)); }
}  // namespace

void DiningPhilosopher::pick_up(Lock& fork) {
  fork.acquire();
  print("{} picks up {}", name(), fork.site().label());
}

// Takes `first`, reaches for `second` a little later, eats, and puts both back (the
// guards release them, also when the run unwinds the thread).
void DiningPhilosopher::dine_with(Lock& first, Lock& second) {
  pick_up(first);
  std::lock_guard hold_first(first, std::adopt_lock);
  time::sleep(kReach);
  pick_up(second);
  std::lock_guard hold_second(second, std::adopt_lock);
  dining();
}

void DiningPhilosopher::dine_naive() {
  if (!running) return;
  // Left fork, then right fork, waiting as long as it takes for each
  dine_with(Leftfork_, Rightfork_);
}

void DiningPhilosopher::dine_ordered() {
  if (!running) return;
  // Always the lower-numbered fork first (only the last philosopher's right fork is lower)
  bool left_first = fork_number(Leftfork_) < fork_number(Rightfork_);
  dine_with(left_first ? Leftfork_ : Rightfork_, left_first ? Rightfork_ : Leftfork_);
}

void DiningPhilosopher::dine_waiter() {
  if (!running) return;
  // Ask the waiter for a seat: at most n-1 philosophers reach for forks at once
  std::lock_guard seat(waiter_);
  print("{} is seated by the waiter", name());
  // Then left, then right, as in the naive dinner
  dine_with(Leftfork_, Rightfork_);
}

// "1st", "2nd", "3rd", "4th", … "11th", "12th", "13th", … "21st", "22nd".
std::string ordinal(int k) {
  const char* suffix = "th";
  if (k % 100 < 11 || k % 100 > 13) {
    if (k % 10 == 1) suffix = "st";
    if (k % 10 == 2) suffix = "nd";
    if (k % 10 == 3) suffix = "rd";
  }
  return std::to_string(k) + suffix;
}

}  // namespace concur::demos::dinner
