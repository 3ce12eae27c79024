#include "core/sync/lock.h"

#include "core/errors.h"
#include "core/runtime.h"
#include "core/narration.h"
#include "core/trace.h"

namespace concur {

namespace {
std::string default_label(SiteKind kind, const char* word) {
  return std::string(word) + " " + std::to_string(runtime().next_site_number(kind));
}
}  // namespace

Lock::Lock(std::string label)
    : site_(SiteKind::kLock, label.empty() ? default_label(SiteKind::kLock, "lock") : std::move(label)) {}

bool Lock::acquire(bool blocking, double timeout) {
  if (!blocking && timeout != -1) throw ValueError("can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout != -1) throw ValueError("timeout value must be a non-negative number");
  scheduler().point("acquire", site_.label());
  int expected = 0;
  if (state_.compare_exchange_strong(expected, 1)) {
    site_.owner.store(&current_thread_state(), std::memory_order_relaxed);
    if (trace::on()) trace::record(trace::Kind::kHold, &site_);
    return true;
  }
  if (!blocking) {
    if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "cannot take", 0, false, trace::held_by(site_));
    return false;
  }
  // Contended: park in the seam until a release lets our compare-and-swap succeed.
  std::unique_lock lk(mutex_);
  waiters_.fetch_add(1);
  bool got = false;
  try {
    got = scheduler().wait(
        lk, site_,
        [&] {
          int free = 0;
          return state_.compare_exchange_strong(free, 1);
        },
        Deadline::after(timeout));
  } catch (...) {
    waiters_.fetch_sub(1);
    throw;
  }
  waiters_.fetch_sub(1);
  if (got) site_.owner.store(&current_thread_state(), std::memory_order_relaxed);
  if (got && trace::on()) trace::record(trace::Kind::kHold, &site_);
  return got;
}

void Lock::release() {
  if (state_.load() == 0) throw RuntimeError("release unlocked lock");
  scheduler().point("release", site_.label());
  if (trace::on()) trace::record(trace::Kind::kRelease, &site_);
  site_.owner.store(nullptr, std::memory_order_relaxed);
  state_.store(0);
  if (waiters_.load() > 0) {
    std::lock_guard lk(mutex_);
    scheduler().notify(site_, 1);
  }
}

}  // namespace concur
