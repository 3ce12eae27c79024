#include "core/sync/barrier.h"

#include "core/errors.h"
#include "core/runtime.h"

namespace concur {

Barrier::Barrier(int parties, std::function<void()> action, std::optional<double> timeout, std::string label)
    : parties_(parties),
      action_(std::move(action)),
      default_timeout_(timeout),
      site_(SiteKind::kBarrier,
            label.empty() ? "barrier " + std::to_string(runtime().next_site_number(SiteKind::kBarrier))
                          : std::move(label)) {
  if (parties < 1) throw ValueError("parties must be > 0");
}

void Barrier::break_locked() {
  broken_ = true;
  scheduler().notify(site_, -1);
}

int Barrier::wait(std::optional<double> timeout) {
  if (!timeout) timeout = default_timeout_;
  scheduler().point("wait at", site_.label());
  std::unique_lock lk(mutex_);
  if (broken_) throw BrokenBarrierError();
  int index = count_++;
  if (count_ == parties_) {
    // The last to arrive runs the action, then releases the generation.
    if (action_) {
      try {
        action_();
      } catch (...) {
        break_locked();
        throw;
      }
    }
    count_ = 0;
    ++generation_;
    scheduler().notify(site_, -1);
    return index;
  }
  std::uint64_t gen = generation_;
  auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
  bool released;
  try {
    released = scheduler().wait(lk, site_, [&] { return generation_ != gen || broken_; }, deadline);
  } catch (...) {
    --count_;
    throw;
  }
  if (generation_ != gen) {
    if (gen == reset_generation_) throw BrokenBarrierError();  // released by reset()
    return index;
  }
  if (!released) break_locked();  // a timed-out wait breaks the barrier for everyone
  if (count_ > 0) --count_;
  throw BrokenBarrierError();
}

void Barrier::reset() {
  std::unique_lock lk(mutex_);
  // Waiters of this generation are released with BrokenBarrierError; it starts afresh.
  if (count_ > 0) reset_generation_ = generation_;
  ++generation_;
  scheduler().notify(site_, -1);
  count_ = 0;
  broken_ = false;
}

void Barrier::abort() {
  std::unique_lock lk(mutex_);
  break_locked();
}

int Barrier::n_waiting() {
  std::lock_guard lk(mutex_);
  return broken_ ? 0 : count_;
}

bool Barrier::broken() {
  std::lock_guard lk(mutex_);
  return broken_;
}

}  // namespace concur
