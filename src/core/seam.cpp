#include "core/seam.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/deadlock.h"
#include "core/errors.h"
#include "core/runtime.h"
#include "core/trace.h"
#include "core/wait_table.h"

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
    case SiteKind::kPipe: return "pipe";
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

void stop_thread(ThreadState& t, int why) {
  t.stop.store(why);
  int fd = t.wake_fd.load();
  if (fd >= 0) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(fd, &one, sizeof one);
  }
  // A thread parked on a condition variable notices at its next slice: its site may be a
  // wait's own, gone the moment the wait returns, so it is not touched from here.
}

bool Scheduler::wait_fd(WaitSite& site, int fd, short events, Deadline deadline) {
  return wait_fds(site, {{fd, events, 0}}, deadline) == 0;
}

int Scheduler::wait_fds(WaitSite& site, const std::vector<pollfd>& wanted, Deadline deadline) {
  ThreadState& me = current_thread_state();
  detail::check_stop(me);
  // What is wanted, then the run's stop descriptor and this thread's wake descriptor.
  std::vector<pollfd> fds = wanted;
  const std::size_t n = wanted.size();
  auto first_ready = [&]() -> int {
    for (std::size_t i = 0; i < n; ++i)
      if (fds[i].revents != 0) return static_cast<int>(i);
    return -1;
  };
  // Ready now, or no time to wait: a look without parking. Only when it matters: a wait
  // whose deadline has passed, or a traced run (where a wait of no length would show);
  // otherwise the ppoll below returns at once for a ready descriptor (one system call).
  if ((deadline.at && now() >= *deadline.at) || trace::on()) {
    if (::poll(fds.data(), n, 0) > 0) return first_ready();
    if (deadline.at && now() >= *deadline.at) return -1;
  }
  fds.push_back({runtime().stop_fd(), POLLIN, 0});
  fds.push_back({me.wake_descriptor(), POLLIN, 0});
  detail::Parked parked(me, site, deadline.forever());
  // Parked for ever, this may be the wait that leaves the whole run (every process) with
  // nothing awake: the watch looks again kConfirm later (wait_table.h).
  wait_table::Watch watch;
  if (deadline.forever()) watch.arm(me);
  // The wait lets in the signal a stuck report from another process wakes it with: the
  // thread's own mask without it, read now (not cached: a forked child's thread inherits a
  // copy of its parent thread's cache, and the parent's mask blocks SIGTERM and Ctrl-C).
  sigset_t open_mask;
  ::pthread_sigmask(SIG_BLOCK, nullptr, &open_mask);
  sigdelset(&open_mask, wait_table::wake_signal());
  for (;;) {
    std::optional<SteadyClock::time_point> until = deadline.at;
    if (watch.due() && (!until || *watch.due() < *until)) until = watch.due();
    timespec ts{}, *timeout = nullptr;
    if (until) {
      auto left = std::max(SteadyClock::duration::zero(), *until - SteadyClock::now());
      auto s = std::chrono::duration_cast<std::chrono::seconds>(left);
      ts = {static_cast<time_t>(s.count()),
            static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(left - s).count())};
      timeout = &ts;
    }
    int r = ::ppoll(fds.data(), fds.size(), timeout, &open_mask);
    if (r < 0 && errno != EINTR) throw OSError(std::strerror(errno));
    detail::check_stop(me);  // a stop wrote stop_fd or the wake descriptor, or signalled
    if (r > 0) {
      if (int i = first_ready(); i >= 0) {
        parked.ok = true;
        return i;
      }
      // The wake descriptor of a stop already unwound (a reused thread state): drain it.
      if (fds[n + 1].revents != 0) {
        std::uint64_t count;
        [[maybe_unused]] ssize_t got = ::read(fds[n + 1].fd, &count, sizeof count);
      }
      continue;
    }
    auto now = SteadyClock::now();
    if (watch.due() && now >= *watch.due()) watch.check(me);
    if (deadline.at && now >= *deadline.at) return -1;
  }
}

bool Scheduler::wait_shared(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                            Deadline deadline) {
  ThreadState& me = current_thread_state();
  detail::check_stop(me);
  auto step_end = [&] {
    auto until = SteadyClock::now() + kSharedStep;
    return deadline.at && *deadline.at < until ? *deadline.at : until;
  };
  if (attempt(deadline.at && *deadline.at <= SteadyClock::now() ? *deadline.at : SteadyClock::now())) return true;
  if (deadline.at && SteadyClock::now() >= *deadline.at) return false;
  detail::Parked parked(me, site, deadline.forever());
  wait_table::Watch watch;
  if (deadline.forever()) watch.arm(me);
  for (;;) {
    detail::check_stop(me);
    if (attempt(step_end())) return parked.ok = true;
    auto now = SteadyClock::now();
    if (watch.due() && now >= *watch.due()) watch.check(me);
    if (deadline.at && now >= *deadline.at) return false;
  }
}

namespace detail {

// Throws ThreadExit if the run or this thread has been stopped. When the whole run stops,
// the main thread unwinds last: it first waits for every other thread to unwind, so that
// the demo's Thread objects (subclasses included) are never destroyed under a running
// run().
void check_stop(ThreadState& me, std::unique_lock<std::mutex>* held) {
  if (runtime().cancel_code() != 0) {
    if (&me == &runtime().main_thread()) {
      // Not with a primitive's mutex held: the others may need it to unwind (a worker
      // finishing its future puts into the queue that main waits on).
      if (held) held->unlock();
      runtime().wait_for_other_threads();
      if (held) held->lock();
    }
    throw ThreadExit{ExitReason::kCancelled};
  }
  if (wait_table::stop_requested(me)) throw ThreadExit{ExitReason::kDeadlock};  // from another process
  switch (me.stop.load()) {
    case 1: throw ThreadExit{ExitReason::kDeadlock};
    case 2:  // a daemon at exit
    case 3:  // its starter unwinds an exception
      throw ThreadExit{ExitReason::kShutdown};
    default: break;
  }
}

Parked::Parked(ThreadState& me, WaitSite& site, bool forever) : me_(me), site_(site), forever_(forever) {
  site_.parked.fetch_add(1);
  me_.wait_forever.store(forever);
  me_.waiting_on.store(&site_);
  wait_table::parked(me_, site_, forever_);
  if (trace::on() && site_.kind() != SiteKind::kSleep) {
    ThreadState* holder = site_.owner.load();
    trace::record(trace::Kind::kWait, &site_, holder && site_.kind() != SiteKind::kThread ? holder->name : "");
  }
}

Parked::~Parked() {
  wait_table::unparked(me_, forever_);
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
