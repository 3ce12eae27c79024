#include "core/sync/semaphore.h"

#include <algorithm>

#include "core/errors.h"
#include "core/runtime.h"
#include "core/trace.h"

namespace concur {

Semaphore::Semaphore(int value, std::string label)
    : value_(value),
      site_(SiteKind::kSemaphore,
            label.empty() ? "semaphore " + std::to_string(runtime().next_site_number(SiteKind::kSemaphore))
                          : std::move(label)) {
  if (value < 0) throw ValueError("semaphore initial value must be >= 0");
}

bool Semaphore::acquire(bool blocking, std::optional<double> timeout) {
  if (!blocking && timeout) throw ValueError("can't specify timeout for non-blocking acquire");
  scheduler().point("acquire", site_.label());
  std::unique_lock lk(mutex_);
  auto positive = [&] { return value_ > 0; };
  if (!positive()) {
    if (!blocking) return false;
    Deadline deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
    if (!scheduler().wait(lk, site_, positive, deadline)) return false;
  }
  --value_;
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "acquires", value_);
  return true;
}

void Semaphore::release(int n) {
  if (n < 1) throw ValueError("n must be one or more");
  scheduler().point("release", site_.label());
  std::unique_lock lk(mutex_);
  value_ += n;
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "releases", value_);
  scheduler().notify(site_, n);
}

int Semaphore::value() {
  std::lock_guard lk(mutex_);
  return value_;
}

BoundedSemaphore::BoundedSemaphore(int value, std::string label) : Semaphore(value, std::move(label)), initial_(value) {}

void BoundedSemaphore::release(int n) {
  if (n < 1) throw ValueError("n must be one or more");
  scheduler().point("release", site_.label());
  std::unique_lock lk(mutex_);
  if (value_ + n > initial_) throw ValueError("Semaphore released too many times");
  value_ += n;
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "releases", value_);
  scheduler().notify(site_, n);
}

}  // namespace concur
