#include "core/real_scheduler.h"

#include <algorithm>

#include "core/deadlock.h"
#include "core/park.h"
#include "core/runtime.h"
#include "core/wait_table.h"

namespace concur {

namespace {

using detail::check_stop;
using detail::Parked;

bool same_cycle(const std::vector<deadlock::Link>& a, const std::vector<deadlock::Link>& b) {
  if (a.empty() || a.size() != b.size()) return false;
  return std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
    return x.thread == y.thread && x.site == y.site && x.holder == y.holder;
  });
}

}  // namespace

RealScheduler::RealScheduler(double time_scale) : scale_(time_scale), start_(SteadyClock::now()) {}

bool RealScheduler::wait(std::unique_lock<std::mutex>& lk, WaitSite& site,
                         const std::function<bool()>& ready, Deadline deadline) {
  ThreadState& me = current_thread_state();
  Parked parked(me, site, deadline.forever());
  std::vector<deadlock::Link> suspect;
  wait_table::Watch watch;
  bool parked_once = false;
  for (;;) {
    check_stop(me, &lk);
    if (ready()) return parked.ok = true;
    auto now = SteadyClock::now();
    if (deadline.at && now >= *deadline.at) return false;
    auto until = now + kSlice;
    if (deadline.forever() && !parked_once) {
      // Parking for good: if this closes a cycle of waiting threads, it is found now and
      // confirmed kConfirm later (a transient one, read mid-release, would have moved).
      // And if it leaves no thread of the run awake, the wait table looks again later.
      parked_once = true;
      suspect = deadlock::find_cycle(me);
      if (!suspect.empty()) until = now + kConfirm;
      watch.arm(me);
    }
    if (watch.due()) {
      if (now >= *watch.due()) {
        lk.unlock();  // a report prints and stops threads: not under a primitive's mutex
        watch.check(me);
        lk.lock();
        continue;
      }
      until = std::min(until, *watch.due());
    }
    if (deadline.at && *deadline.at < until) until = *deadline.at;
    if (site.cv.wait_until(lk, until) == std::cv_status::timeout && deadline.forever()) {
      // No wake-up: look for a cycle again. A cycle seen twice in a row, unchanged, is a
      // deadlock.
      auto cycle = deadlock::find_cycle(me);
      if (same_cycle(cycle, suspect)) deadlock::report(cycle);
      suspect = std::move(cycle);
    }
  }
}

void RealScheduler::notify(WaitSite& site, int n) {
  if (site.parked.load() == 0) return;
  if (n == 1)
    site.cv.notify_one();
  else
    site.cv.notify_all();
}

void RealScheduler::sleep(double lecture_seconds) {
  ThreadState& me = current_thread_state();
  auto deadline = SteadyClock::now() + to_real(std::max(0.0, lecture_seconds));
  std::unique_lock lk(me.sleep_mutex);
  Parked parked(me, me.sleep_site, false);
  for (;;) {
    check_stop(me);
    auto now = SteadyClock::now();
    if (now >= deadline) return;
    me.sleep_site.cv.wait_until(lk, std::min(deadline, now + kSlice));
  }
}

double RealScheduler::elapsed() const {
  return std::chrono::duration<double>(SteadyClock::now() - start_).count() / scale_;
}

SteadyClock::duration RealScheduler::to_real(double lecture_seconds) const {
  return std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(lecture_seconds * scale_));
}

}  // namespace concur
