#include "core/sync/event.h"

#include "core/runtime.h"
#include "core/trace.h"

namespace concur {

Event::Event(std::string label)
    : site_(SiteKind::kEvent,
            label.empty() ? "event " + std::to_string(runtime().next_site_number(SiteKind::kEvent)) : std::move(label)) {}

bool Event::is_set() {
  std::lock_guard lk(mutex_);
  return flag_;
}

void Event::set() {
  scheduler().point("set", site_.label());
  std::lock_guard lk(mutex_);
  if (flag_) return;
  flag_ = true;
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "sets");
  ++generation_;
  scheduler().notify(site_, -1);
}

void Event::clear() {
  scheduler().point("clear", site_.label());
  std::lock_guard lk(mutex_);
  flag_ = false;
  if (trace::on()) trace::record(trace::Kind::kInstant, &site_, "clears");
}

bool Event::wait(std::optional<double> timeout) {
  scheduler().point("wait for", site_.label());
  std::unique_lock lk(mutex_);
  if (flag_) return true;
  if (timeout && *timeout < 0) return false;
  std::uint64_t seen = generation_;
  auto deadline = timeout ? Deadline::after(*timeout) : Deadline::never();
  return scheduler().wait(lk, site_, [&] { return flag_ || generation_ != seen; }, deadline);
}

}  // namespace concur
