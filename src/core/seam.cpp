#include "seam.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "deadlock.h"
#include "errors.h"
#include "runtime.h"
#include "trace.h"

namespace concur {

const char* kind_name(SiteKind kind) {
  switch (kind) {
    case SiteKind::kLock: return "lock";
    case SiteKind::kRLock: return "rlock";
    case SiteKind::kSemaphore: return "semaphore";
    case SiteKind::kEvent: return "event";
    case SiteKind::kCondition: return "condition";
    case SiteKind::kBarrier: return "barrier";
    case SiteKind::kQueue: return "queue";
    case SiteKind::kFuture: return "future";
    case SiteKind::kThread: return "thread";
    case SiteKind::kSleep: return "sleep";
  }
  return "?";
}

WaitSite::WaitSite(SiteKind kind, std::string label) : kind_(kind), label_(std::move(label)) {}

Deadline Deadline::after(double lecture_seconds) {
  if (lecture_seconds < 0) return never();
  Scheduler& s = scheduler();
  return {s.now() + s.to_real(lecture_seconds)};
}

void Scheduler::adopt(ThreadState& t) {
  t.ident = static_cast<long>(pthread_self());
  t.native_id = static_cast<long>(gettid());
}

void Scheduler::pause() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

void yield_point(std::string_view what) { scheduler().point("", what); }

namespace detail {

// Throws ThreadExit if the run or this thread has been stopped. When the whole run stops,
// the main thread unwinds last: it first waits for every other thread to unwind, so that
// the demo's Thread objects (subclasses included) are never destroyed under a running
// run().
void check_stop(ThreadState& me) {
  if (runtime().cancel_code() != 0) {
    if (&me == &runtime().main_thread()) runtime().wait_for_other_threads();
    throw ThreadExit{ExitReason::kCancelled};
  }
  switch (me.stop.load()) {
    case 1: throw ThreadExit{ExitReason::kDeadlock};
    case 2: throw ThreadExit{ExitReason::kShutdown};
    default: break;
  }
}

Parked::Parked(ThreadState& me, WaitSite& site, bool forever) : me_(me), site_(site) {
  site_.parked.fetch_add(1);
  me_.wait_forever.store(forever);
  me_.waiting_on.store(&site_);
  if (trace::on() && site_.kind() != SiteKind::kSleep) {
    ThreadState* holder = site_.owner.load();
    trace::record(trace::Kind::kWait, &site_, holder && site_.kind() != SiteKind::kThread ? holder->name : "");
  }
}

Parked::~Parked() {
  me_.waiting_on.store(nullptr);
  me_.wait_forever.store(false);
  site_.parked.fetch_sub(1);
  if (trace::on() && site_.kind() != SiteKind::kSleep) trace::record(trace::Kind::kWoken, &site_, "", 0, ok);
}

}  // namespace detail

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
  for (;;) {
    check_stop(me);
    if (ready()) return parked.ok = true;
    auto now = SteadyClock::now();
    if (deadline.at && now >= *deadline.at) return false;
    auto until = now + kSlice;
    if (deadline.at && *deadline.at < until) until = *deadline.at;
    if (site.cv.wait_until(lk, until) == std::cv_status::timeout && deadline.forever()) {
      // A slice passed with no wake-up: look for a cycle of waiting threads. A cycle seen
      // twice in a row, unchanged, is a deadlock (a transient one would have moved).
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
