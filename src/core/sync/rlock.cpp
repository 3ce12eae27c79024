#include "core/sync/rlock.h"

#include "core/errors.h"
#include "core/runtime.h"
#include "core/narration.h"
#include "core/trace.h"

namespace concur {

RLock::RLock(std::string label)
    : site_(SiteKind::kRLock,
            label.empty() ? "rlock " + std::to_string(runtime().next_site_number(SiteKind::kRLock)) : std::move(label)) {}

bool RLock::acquire(bool blocking, double timeout) {
  if (!blocking && timeout != -1) throw ValueError("can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout != -1) throw ValueError("timeout value must be a non-negative number");
  scheduler().point("acquire", site_.label());
  ThreadState* me = &current_thread_state();
  std::unique_lock lk(mutex_);
  if (site_.owner.load() == me) {
    ++count_;
    return true;
  }
  auto is_free = [&] { return site_.owner.load() == nullptr; };
  if (!is_free()) {
    if (!blocking) {
      if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "cannot take", 0, false, trace::held_by(site_));
      return false;
    }
    if (!scheduler().wait(lk, site_, is_free, Deadline::after(timeout))) return false;
  }
  site_.owner.store(me);
  count_ = 1;
  if (trace::on()) trace::record(trace::Kind::kHold, &site_);
  return true;
}

void RLock::release() {
  scheduler().point("release", site_.label());
  std::unique_lock lk(mutex_);
  if (site_.owner.load() != &current_thread_state()) throw RuntimeError("cannot release un-acquired lock");
  if (--count_ == 0) {
    if (trace::on()) trace::record(trace::Kind::kRelease, &site_);
    site_.owner.store(nullptr);
    scheduler().notify(site_, 1);
  }
}

bool RLock::locked() {
  std::lock_guard lk(mutex_);
  return site_.owner.load() != nullptr;
}

bool RLock::is_owned() { return site_.owner.load() == &current_thread_state(); }

int RLock::release_save() {
  std::unique_lock lk(mutex_);
  if (site_.owner.load() != &current_thread_state()) throw RuntimeError("cannot release un-acquired lock");
  int count = count_;
  count_ = 0;
  if (trace::on()) trace::record(trace::Kind::kRelease, &site_);
  site_.owner.store(nullptr);
  scheduler().notify(site_, 1);
  return count;
}

void RLock::acquire_restore(int count) {
  acquire();
  std::lock_guard lk(mutex_);
  count_ = count;
}

}  // namespace concur
