#include "core/park.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "core/errors.h"
#include "core/runtime.h"
#include "core/trace.h"
#include "core/wait_table.h"

namespace concur::detail {

// Throws ThreadExit if the run or this thread has been stopped. When the whole run stops,
// the main thread unwinds last: it first waits for every other thread to unwind, so that
// the demo's Thread objects (subclasses included) are never destroyed under a running
// run().
void check_stop(ThreadState& me, std::unique_lock<std::mutex>* held) {
  if (runtime().cancelled()) {
    if (&me == &runtime().main_thread()) {
      // Not with a primitive's mutex held: the others may need it to unwind (a worker
      // finishing its future puts into the queue that main waits on).
      if (held) held->unlock();
      scheduler().await_other_threads();
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
    unwinding_ = std::uncaught_exceptions();
    ThreadState* holder = site_.owner.load();
    trace::record(trace::Kind::kWait, &site_, holder && site_.kind() != SiteKind::kThread ? holder->name : "");
  }
}

Parked::~Parked() {
  wait_table::unparked(me_, forever_);
  me_.waiting_on.store(nullptr);
  me_.wait_forever.store(false);
  site_.parked.fetch_sub(1);
  if (trace::on() && site_.kind() != SiteKind::kSleep) trace::record_woken(site_, why_woken());
}

// Why the wait ends: it got what it waited for; or a stop is unwinding the thread (check_stop
// threw ThreadExit), after a deadlock or stuck report when the thread itself was told to
// stop, else because the whole run was stopped; or else its timeout passed.
trace::Woke Parked::why_woken() const {
  if (ok) return trace::Woke::kGot;
  if (std::uncaught_exceptions() <= unwinding_) return trace::Woke::kTimeout;
  if (me_.stop.load() == 1 || wait_table::stop_requested(me_)) return trace::Woke::kUnwound;
  return trace::Woke::kStopped;
}

int wait_kernel(WaitSite& site, const std::vector<pollfd>& wanted, Deadline deadline) {
  Scheduler& s = scheduler();
  ThreadState& me = current_thread_state();
  check_stop(me);
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
  if ((deadline.at && s.now() >= *deadline.at) || trace::on()) {
    if (::poll(fds.data(), n, 0) > 0) return first_ready();
    if (deadline.at && s.now() >= *deadline.at) return -1;
  }
  fds.push_back({runtime().stop_fd(), POLLIN, 0});
  fds.push_back({me.wake_descriptor(), POLLIN, 0});
  Parked parked(me, site, deadline.forever());
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
    check_stop(me);  // a stop wrote stop_fd or the wake descriptor, or signalled
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

bool wait_shared_memory(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                        Deadline deadline) {
  ThreadState& me = current_thread_state();
  check_stop(me);
  auto step_end = [&] {
    auto until = SteadyClock::now() + Scheduler::kSharedStep;
    return deadline.at && *deadline.at < until ? *deadline.at : until;
  };
  if (attempt(deadline.at && *deadline.at <= SteadyClock::now() ? *deadline.at : SteadyClock::now())) return true;
  if (deadline.at && SteadyClock::now() >= *deadline.at) return false;
  Parked parked(me, site, deadline.forever());
  wait_table::Watch watch;
  if (deadline.forever()) watch.arm(me);
  for (;;) {
    check_stop(me);
    if (attempt(step_end())) return parked.ok = true;
    auto now = SteadyClock::now();
    if (watch.due() && now >= *watch.due()) watch.check(me);
    if (deadline.at && now >= *deadline.at) return false;
  }
}

}  // namespace concur::detail

namespace concur {

int Scheduler::wait_fds(WaitSite& site, const std::vector<pollfd>& fds, Deadline deadline) {
  return detail::wait_kernel(site, fds, deadline);
}

bool Scheduler::wait_shared(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                            Deadline deadline) {
  return detail::wait_shared_memory(site, attempt, deadline);
}

void Scheduler::await_other_threads() { runtime().wait_for_other_threads(); }

}  // namespace concur
