#include "core/sync/condition.h"

#include <algorithm>
#include <limits>

#include "core/errors.h"
#include "core/runtime.h"
#include "core/trace.h"

namespace concur {

namespace {
std::string default_label(std::string label) {
  if (!label.empty()) return label;
  return "condition " + std::to_string(runtime().next_site_number(SiteKind::kCondition));
}
}  // namespace

Condition::Condition(std::string label) : site_(SiteKind::kCondition, default_label(std::move(label))) {
  own_lock_ = std::make_unique<RLock>(site_.label() + " lock");
  rlock_ = own_lock_.get();
}

Condition::Condition(Lock& lock, std::string label)
    : lock_(&lock), site_(SiteKind::kCondition, default_label(std::move(label))) {}

Condition::Condition(RLock& lock, std::string label)
    : rlock_(&lock), site_(SiteKind::kCondition, default_label(std::move(label))) {}

bool Condition::acquire(bool blocking, double timeout) {
  return lock_ ? lock_->acquire(blocking, timeout) : rlock_->acquire(blocking, timeout);
}

void Condition::release() { lock_ ? lock_->release() : rlock_->release(); }

// Python's _is_owned: for a plain Lock, "held by someone" is the best it can tell.
bool Condition::is_owned() { return lock_ ? lock_->locked() : rlock_->is_owned(); }

bool Condition::wait(std::optional<double> timeout) {
  if (!is_owned()) throw RuntimeError("cannot wait on un-acquired lock");
  scheduler().point("wait for", site_.label());
  Waiter me;
  std::unique_lock lk(mutex_);
  waiters_.push_back(&me);
  // Release the caller's lock fully only after queueing: a notify cannot slip between. Not
  // with mutex_ held: a Lock's release is a scheduling point, where a deterministic run may
  // switch to a thread that then blocks the run's one OS thread on mutex_. A notify that
  // comes between sets me.notified, which the wait below sees first.
  lk.unlock();
  int saved = 0;
  try {
    if (lock_)
      lock_->release();
    else
      saved = rlock_->release_save();
  } catch (...) {
    lk.lock();
    waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), &me), waiters_.end());
    throw;
  }
  lk.lock();
  bool notified = false;
  try {
    auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
    notified = scheduler().wait(lk, site_, [&] { return me.notified; }, deadline);
  } catch (...) {
    waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), &me), waiters_.end());
    lk.unlock();
    restore(saved);
    throw;
  }
  if (!notified) waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), &me), waiters_.end());
  lk.unlock();
  restore(saved);
  return notified;
}

// Re-acquires the caller's lock after wait() released it, as Python's `finally` does. If
// the run stops the thread meanwhile (ThreadExit), it still re-acquires, polling outside
// the seam (the holder is being stopped too, or releases in its own time), then lets the
// ThreadExit go on: the caller's scoped hold must release a lock it really holds.
void Condition::restore(int saved) {
  try {
    lock_ ? (void)lock_->acquire() : rlock_->acquire_restore(saved);
  } catch (const ThreadExit&) {
    while (!acquire(false)) scheduler().pause();
    if (rlock_) rlock_->acquire_restore(saved);  // owned already: only restores the count
    throw;
  }
}

bool Condition::wait_for(const std::function<bool()>& predicate, std::optional<double> timeout) {
  bool result = predicate();
  if (result) return true;
  auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
  while (!result) {
    std::optional<double> left;
    if (!deadline.forever()) {
      double remaining = std::chrono::duration<double>(*deadline.at - scheduler().now()).count();
      // remaining is real time; convert back to lecture seconds for wait().
      double per_lecture = std::chrono::duration<double>(scheduler().to_real(1.0)).count();
      left = remaining / per_lecture;
      if (*left <= 0) break;
    }
    wait(left);
    result = predicate();
  }
  return result;
}

void Condition::notify(int n) {
  if (!is_owned()) throw RuntimeError("cannot notify on un-acquired lock");
  scheduler().point("notify", site_.label());
  std::lock_guard lk(mutex_);
  int woken = 0;
  while (woken < n && !waiters_.empty()) {
    waiters_.front()->notified = true;
    waiters_.pop_front();
    ++woken;
  }
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "notifies", woken);
  if (woken > 0) scheduler().notify(site_, -1);
}

void Condition::notify_all() { notify(std::numeric_limits<int>::max()); }

}  // namespace concur
