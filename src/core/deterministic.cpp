#include "core/deterministic.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <thread>

#include "core/deadlock.h"
#include "core/errors.h"
#include "core/park.h"
#include "core/runtime.h"
#include "core/wait_table.h"

namespace concur {

namespace {

// A demo thread's stack in a virtual run. The OS gives threads 8 MiB; the demos' threads
// print and wait, and a mapped page costs only once it is touched.
constexpr std::size_t kFiberStack = 1024 * 1024;

// Ids that look like Python's on Linux but do not change from run to run: idents are
// pthread_t addresses (main's in one region, each thread's stack 8 MiB + a guard page
// below the last), native ids are small task ids (main's is the process id).
constexpr long kMainIdent = 0x7f3a9c2f0740;
constexpr long kFirstIdent = 0x7f3a9b7ff640;
constexpr long kStackStride = 0x801000;
constexpr long kMainNativeId = 4200;
// A process's children have pids 100 apart (its threads' native ids are pid + 1, + 2, ...);
// the run's first process has a made-up parent.
constexpr long kPidStride = 100;

// When `deadline` ends on the virtual clock (its time points count lecture seconds from 0):
// lecture seconds, or -1 for never.
double lecture_time_of(Deadline deadline) {
  return deadline.forever() ? -1 : std::chrono::duration<double>(deadline.at->time_since_epoch()).count();
}

// Whether any of `fds` is ready now (a look, no wait).
bool any_ready(const std::vector<pollfd>& fds) {
  std::vector<pollfd> look = fds;
  for (pollfd& p : look) p.revents = 0;
  return ::poll(look.data(), look.size(), 0) > 0;
}

// Waits, in real time, until the process behind `pidfd` has ended: it is ending already
// (its last report said so, or it was killed). After `patience` it is killed.
void await_exit(int pidfd, pid_t pid) {
  if (pidfd < 0) return;
  pollfd p{pidfd, POLLIN, 0};
  int r;
  do r = ::poll(&p, 1, 5000);
  while (r < 0 && errno == EINTR);
  if (r == 0) {
    ::kill(pid, SIGKILL);
    do r = ::poll(&p, 1, -1);
    while (r < 0 && errno == EINTR);
  }
}

}  // namespace

DeterministicScheduler* DeterministicScheduler::of_run() {
  Scheduler& s = scheduler();
  return s.is_virtual() ? dynamic_cast<DeterministicScheduler*>(&s) : nullptr;
}

DeterministicScheduler::DeterministicScheduler(std::uint64_t seed, Chooser* chooser, Fd link)
    : rng_(seed), chooser_(chooser), link_(std::move(link)), pid_(kMainNativeId), ppid_(kMainNativeId - kPidStride) {
  ThreadState& main = current_thread_state();
  auto slot = std::make_unique<Slot>();
  slot->thread = &main;
  slot->number = 0;
  slot->state = State::kRunning;
  slot->fiber = std::make_unique<Fiber>();
  main_ = slot.get();
  order_.push_back(slot.get());
  slots_[&main] = std::move(slot);
  if (link_) {
    // A member: nothing of it runs before the hub gives it the turn (which also says its pid).
    turn::Grant g;
    bool got = false;
    try {
      got = turn::recv_grant(link_.get(), g);
    } catch (const std::exception&) {
    }
    if (!got) ::_exit(1);  // the hub is gone, and the run with it
    take_grant(g);
  }
  adopt(main);
}

DeterministicScheduler::Slot* DeterministicScheduler::slot_of(ThreadState& t) {
  auto it = slots_.find(&t);
  return it == slots_.end() ? nullptr : it->second.get();
}

bool DeterministicScheduler::runnable(const Slot& s) const {
  switch (s.state) {
    case State::kRunning:
    case State::kRunnable: return true;
    case State::kBlocked:
      if (s.awaiting_all) return order_.size() == 1;
      if ((s.thread->stop.load() != 0 || runtime().cancelled()) && !s.ignore_stop) return true;
      if (!s.fds.empty()) return any_ready(s.fds);  // a wait on the kernel
      if (s.retry) return progress_ > s.retry_after;  // a wait on shared memory: once another ran
      return false;
    case State::kSleeping:  // stopped: to unwind
      return (s.thread->stop.load() != 0 || runtime().cancelled()) && !s.ignore_stop;
    case State::kFinished: return false;
  }
  return false;
}

DeterministicScheduler::Slot* DeterministicScheduler::pick(std::unique_lock<std::mutex>& m) {
  if (link_) return stopped_ ? nullptr : ask_hub(m);  // a member: the hub chooses
  constexpr double kNever = std::numeric_limits<double>::infinity();
  for (;;) {
    if (stopped_) return nullptr;
    // A member that ended without a last report (killed): it is gone from the candidates.
    for (auto& p : members_)
      if (!p->gone && any_ready({{p->pidfd.get(), POLLIN, 0}})) {
        m.unlock();
        drop_member(*p);
        m.lock();
      }
    std::vector<Choice> ready;
    for (Slot* s : order_)
      if (runnable(*s)) ready.push_back({s});
    for (auto& p : members_)
      if (!p->gone)
        for (std::size_t i = 0; i < p->threads.size(); ++i)
          if (runnable(*p, i)) ready.push_back({nullptr, p.get(), i});
    if (ready.empty()) {
      // Nobody can run: the clock jumps to the end of the earliest sleep or timed wait.
      double next = kNever;
      for (Slot* s : order_)
        if ((s->state == State::kBlocked || s->state == State::kSleeping) && s->wake_at >= 0)
          next = std::min(next, s->wake_at);
      for (auto& p : members_)
        for (const turn::ThreadReport& t : p->threads)
          if (!p->gone && t.wants != turn::Wants::kDone && t.wants != turn::Wants::kRun && t.wake_at >= 0)
            next = std::min(next, t.wake_at);
      if (next == kNever) {
        report_stuck(m);
        continue;
      }
      now_.store(std::max(now_.load(), next));
      ++progress_;
      for (Slot* s : order_)
        if ((s->state == State::kBlocked || s->state == State::kSleeping) && s->wake_at >= 0 && s->wake_at <= now_)
          s->state = State::kRunnable;
      for (auto& p : members_)
        for (turn::ThreadReport& t : p->threads)
          if (t.wants != turn::Wants::kDone && t.wake_at >= 0 && t.wake_at <= now_) t.wants = turn::Wants::kRun;
      continue;
    }
    Choice c = ready.front();
    if (ready.size() > 1) {
      ++decisions_;
      std::size_t seeded = static_cast<std::size_t>(rng_() % ready.size());
      c = ready[seeded];
      // A stopped run unwinds in the seeded order: no more questions for the instructor.
      if (chooser_ && !runtime().cancelled()) {
        std::vector<Candidate> candidates;
        for (const Choice& r : ready) {
          if (r.slot) {
            candidates.push_back({r.slot->thread, r.slot->doing});
            continue;
          }
          const turn::ThreadReport& t = r.member->threads[r.index];
          auto& proxy = r.member->proxies[t.name];
          if (!proxy) {
            proxy = std::make_unique<ThreadState>();
            proxy->name = r.member->name + "/" + t.name;
          }
          candidates.push_back({proxy.get(), t.doing});
        }
        m.unlock();
        std::size_t chosen = chooser_->choose(candidates, seeded);
        m.lock();
        if (chosen < ready.size()) c = ready[chosen];
      }
    }
    bool retrying = c.slot ? c.slot->retry : c.member->threads[c.index].wants == turn::Wants::kRetry;
    if (!retrying) ++progress_;
    if (c.slot) return c.slot;
    run_member(*c.member, c.index, m);
  }
}

bool DeterministicScheduler::runnable(Member& p, std::size_t index) const {
  const turn::ThreadReport& t = p.threads[index];
  bool stopping = t.stopped || (runtime().cancelled() && !t.ignore_stop);
  switch (t.wants) {
    case turn::Wants::kRun: return true;
    case turn::Wants::kDone: return false;
    case turn::Wants::kKernel: return stopping || any_ready(t.fds);
    case turn::Wants::kRetry: {
      if (stopping) return true;
      auto it = p.retry_after.find(t.number);
      return it == p.retry_after.end() || progress_ > it->second;
    }
    case turn::Wants::kSite:
    case turn::Wants::kSleep: return stopping;
  }
  return false;
}

void DeterministicScheduler::run_member(Member& p, std::size_t index, std::unique_lock<std::mutex>& m) {
  turn::Grant g;
  g.number = p.threads[index].number;
  g.now = now_.load();
  g.stop = static_cast<int>(runtime().cancel_reason());
  g.pid = p.vpid;
  g.ppid = p.vppid != 0 ? p.vppid : pid_;
  g.stop_threads = std::move(p.to_stop);
  p.to_stop.clear();
  m.unlock();
  turn::Report r;
  std::vector<Fd> fds;
  bool got = false;
  try {
    turn::send_grant(p.link.get(), g);
    // While it runs nothing else does. A stop (watchdog, Ctrl-C) reaches it at its next
    // scheduling point, with the next grant; one that runs on without any is killed.
    pollfd watch[2] = {{p.link.get(), POLLIN, 0}, {runtime().stop_fd(), POLLIN, 0}};
    int patience = -1;
    for (;;) {
      int n = ::poll(watch, 2, patience);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) {  // stopped, and it did not give the turn back in time
        ::kill(p.pid, SIGKILL);
        break;
      }
      if (watch[0].revents != 0) {
        got = turn::recv_report(p.link.get(), r, fds);
        break;
      }
      if (watch[1].revents != 0) {
        watch[1].fd = -1;
        patience = 2000;
      }
    }
  } catch (const std::exception&) {
    got = false;
  }
  if (p.drain) p.drain();  // its lines so far, before anyone else prints
  if (!got || r.leaving) {
    drop_member(p);
    m.lock();
    return;
  }
  m.lock();
  std::map<int, std::uint64_t> retry_after;
  for (const turn::ThreadReport& t : r.threads) {
    if (t.wants != turn::Wants::kRetry) continue;
    auto it = p.retry_after.find(t.number);
    retry_after[t.number] = t.number == g.number || it == p.retry_after.end() ? progress_ : it->second;
  }
  p.retry_after = std::move(retry_after);
  p.threads = std::move(r.threads);
  p.fds = std::move(fds);
}

void DeterministicScheduler::drop_member(Member& p) {
  if (p.gone) return;
  await_exit(p.pidfd.get(), p.pid);  // its descriptors are closed, its pidfd readable
  if (p.drain) p.drain();
  p.gone = true;
  p.threads.clear();
  p.fds.clear();
  p.link.reset();
}

DeterministicScheduler::Slot* DeterministicScheduler::ask_hub(std::unique_lock<std::mutex>& m) {
  turn::Report r = report_of_threads(false);
  m.unlock();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  turn::Grant g;
  bool got = false;
  try {
    turn::send_report(link_.get(), r);
    got = turn::recv_grant(link_.get(), g);
  } catch (const std::exception&) {
  }
  if (!got) ::_exit(1);  // the hub is gone, and the run with it
  m.lock();
  take_grant(g);
  for (Slot* s : order_)
    if (s->number == g.number) return s;
  return main_;
}

turn::Report DeterministicScheduler::report_of_threads(bool leaving) const {
  turn::Report r;
  r.leaving = leaving;
  if (leaving) return r;
  for (const Slot* s : order_) {
    turn::ThreadReport t;
    t.number = s->number;
    t.name = s->thread->name;
    t.doing = s->doing;
    t.wake_at = s->wake_at;
    t.ignore_stop = s->ignore_stop;
    t.stopped = (s->thread->stop.load() != 0 || runtime().cancelled()) && !s->ignore_stop;
    if (s->site) {
      t.kind = static_cast<int>(s->site->kind());
      t.site = s->site->label();
    }
    switch (s->state) {
      case State::kRunning:
      case State::kRunnable: t.wants = turn::Wants::kRun; break;
      case State::kSleeping: t.wants = turn::Wants::kSleep; break;
      case State::kFinished: t.wants = turn::Wants::kDone; break;
      case State::kBlocked:
        if (s->awaiting_all) t.wants = order_.size() == 1 ? turn::Wants::kRun : turn::Wants::kSite;
        else if (!s->fds.empty()) t.wants = turn::Wants::kKernel, t.fds = s->fds;
        else if (s->retry) t.wants = turn::Wants::kRetry;
        else t.wants = turn::Wants::kSite;
        break;
    }
    r.threads.push_back(std::move(t));
  }
  return r;
}

void DeterministicScheduler::take_grant(const turn::Grant& g) {
  pid_ = g.pid;
  ppid_ = g.ppid;
  now_.store(std::max(now_.load(), g.now));
  if (g.stop != 0 && !runtime().cancelled()) runtime().cancel(static_cast<StopReason>(g.stop));
  for (int number : g.stop_threads)
    for (Slot* s : order_)
      if (s->number == number) stop_thread(*s->thread, 1);
}

long DeterministicScheduler::next_child_pid() {
  std::lock_guard m(mutex_);
  return pid_ + kPidStride * ++children_;
}

long DeterministicScheduler::forkserver_pid() {
  std::lock_guard m(mutex_);
  if (forkserver_ == 0) forkserver_ = pid_ + kPidStride * ++children_;
  return forkserver_;
}

void DeterministicScheduler::add_member(pid_t pid, long vpid, Fd link, std::string name,
                                        std::function<void()> drain, long vppid) {
  auto p = std::make_unique<Member>();
  p->pid = pid;
  p->vpid = vpid;
  p->vppid = vppid;
  p->link = std::move(link);
  p->pidfd = Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  p->name = std::move(name);
  p->drain = std::move(drain);
  turn::ThreadReport main;
  main.name = "MainThread";
  main.doing = "begin run()";
  p->threads.push_back(std::move(main));
  std::lock_guard m(mutex_);
  members_.push_back(std::move(p));
}

void DeterministicScheduler::member_signalled(pid_t pid) {
  Member* found = nullptr;
  {
    std::lock_guard m(mutex_);
    for (auto& p : members_)
      if (p->pid == pid && !p->gone) found = p.get();
  }
  if (found) drop_member(*found);
}

void DeterministicScheduler::leave() {
  if (!link_) return;
  turn::Report r;
  {
    std::lock_guard m(mutex_);
    r = report_of_threads(true);
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  try {
    turn::send_report(link_.get(), r);
  } catch (const std::exception&) {
  }
}

void DeterministicScheduler::report_stuck(std::unique_lock<std::mutex>& m) {
  bool across = false;
  for (auto& p : members_)
    for (const turn::ThreadReport& t : p->threads)
      if (!p->gone && t.wants != turn::Wants::kDone) across = true;
  if (across) {
    // Stuck across processes: every wait of every process, worded as a real run's wait
    // table words it; the ends of the chains (waits for anything but a process or thread
    // to finish) are stopped, in whichever process they are.
    std::vector<std::string> out{
        "Deadlock detected: every thread of every process waits, and none is left running to wake them."};
    std::vector<ThreadState*> local_ends;
    auto line = [](const std::string& who, SiteKind kind, const std::string& site) {
      std::string l = "  " + who + " " + wait_table::what_it_waits(kind, site);
      if (kind != SiteKind::kThread) l += ", which no running thread will change";
      return l;
    };
    for (Slot* s : order_) {
      if (s->state != State::kBlocked || !s->site || s->thread->stop.load() != 0) continue;
      out.push_back(line(s->thread->name, s->site->kind(), s->site->label()));
      if (s->site->kind() != SiteKind::kThread) local_ends.push_back(s->thread);
    }
    bool remote_end = false;
    for (auto& p : members_) {
      if (p->gone) continue;
      for (turn::ThreadReport& t : p->threads) {
        if (t.wants == turn::Wants::kDone || t.wants == turn::Wants::kRun || t.kind < 0 || t.stopped) continue;
        auto kind = static_cast<SiteKind>(t.kind);
        out.push_back(line(p->name + "/" + t.name, kind, t.site));
        if (kind != SiteKind::kThread) {
          p->to_stop.push_back(t.number);
          t.stopped = true;
          remote_end = true;
        }
      }
    }
    if (local_ends.empty() && !remote_end) {
      runtime().cancel(StopReason::kStuck);
      stopped_ = true;
      return;
    }
    for (ThreadState* t : local_ends) stop_thread(*t, 1);
    reporting_ = true;
    m.unlock();
    deadlock::report_stuck_lines(out);
    m.lock();
    reporting_ = false;
    return;
  }
  std::vector<ThreadState*> waiting;
  for (Slot* s : order_)
    if (s->state == State::kBlocked) waiting.push_back(s->thread);
  reporting_ = true;
  m.unlock();
  // A cycle is reported as a real run reports it; failing that, every wait that can never
  // end. Either way the threads named are stopped, so they become runnable to unwind.
  bool any = false;
  for (ThreadState* t : waiting) {
    auto cycle = deadlock::find_cycle(*t);
    if (!cycle.empty() && t->stop.load() == 0) {
      deadlock::report(cycle);
      any = true;
    }
  }
  if (!any) any = deadlock::report_stuck(waiting);
  m.lock();
  reporting_ = false;
  if (!any) {
    // Nothing left that a report could wake (cannot happen with threads the core runs):
    // stop the run rather than hang it; the threads still waiting stay suspended.
    runtime().cancel(StopReason::kStuck);
    stopped_ = true;
  }
}

void DeterministicScheduler::switch_from(Slot* me, std::unique_lock<std::mutex>& m) {
  Slot* next = pick(m);
  if (!next) {  // given up: `me` runs on
    me->state = State::kRunning;
    return;
  }
  next->state = State::kRunning;
  if (next == me) return;
  // One OS thread: the mutex is released across the switch, or `next` would lock it again.
  set_current_thread_state(next->thread);
  m.unlock();
  me->fiber->switch_to(*next->fiber);
  m.lock();
}

bool DeterministicScheduler::wait(std::unique_lock<std::mutex>& lk, WaitSite& site,
                                  const std::function<bool()>& ready, Deadline deadline) {
  ThreadState& t = current_thread_state();
  Slot* me;
  {
    std::lock_guard m(mutex_);
    me = slot_of(t);
  }
  if (!me) throw RuntimeError("a thread concur did not start cannot wait in a deterministic run");
  detail::Parked parked(t, site, deadline.forever());
  double wake_at = lecture_time_of(deadline);
  for (;;) {
    detail::check_stop(t, &lk);
    if (ready()) return parked.ok = true;
    {
      std::unique_lock m(mutex_);
      if (wake_at >= 0 && now_ >= wake_at) return false;
      if (!stopped_) {
        me->state = State::kBlocked;
        me->site = &site;
        me->wake_at = wake_at;
        me->doing = "wait for " + site.label();
        lk.unlock();
        switch_from(me, m);
        me->site = nullptr;
        me->wake_at = -1;
      } else {
        lk.unlock();
      }
    }
    lk.lock();
  }
}

void DeterministicScheduler::notify(WaitSite& site, int) {
  std::lock_guard m(mutex_);
  for (Slot* s : order_)
    if (s->state == State::kBlocked && s->site == &site) {
      s->state = State::kRunnable;
      s->doing = "woken: " + s->doing;
    }
}

void DeterministicScheduler::sleep(double lecture_seconds) {
  ThreadState& t = current_thread_state();
  detail::check_stop(t);
  if (lecture_seconds <= 0) {
    point("sleep", "0");
  } else {
    std::unique_lock m(mutex_);
    Slot* me = slot_of(t);
    if (!me) throw RuntimeError("a thread concur did not start cannot sleep in a deterministic run");
    if (stopped_) return;
    detail::Parked parked(t, t.sleep_site, false);
    me->state = State::kSleeping;
    me->wake_at = now_ + lecture_seconds;
    me->doing = "wake up from sleep";
    switch_from(me, m);
    me->wake_at = -1;
  }
  detail::check_stop(t);
}

double DeterministicScheduler::elapsed() const { return now_.load(); }

SteadyClock::duration DeterministicScheduler::to_real(double lecture_seconds) const {
  return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(lecture_seconds));
}

SteadyClock::time_point DeterministicScheduler::now() const { return SteadyClock::time_point(to_real(elapsed())); }

void DeterministicScheduler::point(const char* action, std::string_view object) {
  std::unique_lock m(mutex_);
  Slot* me = slot_of(current_thread_state());
  if (!me || stopped_ || reporting_) return;
  me->state = State::kRunnable;
  me->doing = action;
  if (!object.empty()) {
    if (!me->doing.empty()) me->doing += ' ';
    me->doing += object;
  }
  switch_from(me, m);
}

void DeterministicScheduler::on_start(ThreadState& t) {
  std::lock_guard m(mutex_);
  auto slot = std::make_unique<Slot>();
  slot->thread = &t;
  slot->number = ++started_;
  slot->state = State::kRunnable;
  slot->doing = "begin run()";
  order_.push_back(slot.get());
  slots_[&t] = std::move(slot);
}

bool DeterministicScheduler::start_fiber(ThreadState& t, std::function<void()> body) {
  {
    std::lock_guard m(mutex_);
    Slot* s = slot_of(t);
    if (!s) return false;
    dead_.clear();  // the caller runs: every fiber that ended before has left its stack
    s->fiber = std::make_unique<Fiber>(kFiberStack, [this, body = std::move(body)] {
      body();  // Thread::bootstrap, which catches everything and ends with on_exit
      set_current_thread_state(exit_to_->thread);
      return exit_to_->fiber.get();
    });
  }
  adopt(t);
  return true;
}

void DeterministicScheduler::adopt(ThreadState& t) {
  std::lock_guard m(mutex_);
  Slot* s = slot_of(t);
  if (!s) return Scheduler::adopt(t);
  t.ident = s->number == 0 ? kMainIdent : kFirstIdent - (s->number - 1) * kStackStride;
  t.native_id = pid_ + s->number;
}

void DeterministicScheduler::on_exit(ThreadState& t) {
  std::unique_lock m(mutex_);
  Slot* me = slot_of(t);
  if (!me) return;
  me->state = State::kFinished;
  order_.erase(std::remove(order_.begin(), order_.end(), me), order_.end());
  if (&t == &current_thread_state()) {
    // The thread's last act: choose who runs next; its fiber's body returns there.
    Slot* next = pick(m);
    if (!next) next = main_;
    next->state = State::kRunning;
    exit_to_ = next;
  }
  if (me->fiber) dead_.push_back(std::move(me->fiber));  // its stack is still in use
  slots_.erase(&t);
}

void DeterministicScheduler::let_finish(ThreadState& t) {
  ThreadState& self = current_thread_state();
  std::unique_lock m(mutex_);
  Slot* me = slot_of(self);
  if (!me || !slot_of(t)) return;
  detail::Parked parked(self, t.done, true);
  me->ignore_stop = true;
  while (slot_of(t) && !stopped_) {
    me->state = State::kBlocked;
    me->site = &t.done;
    me->wake_at = -1;
    me->doing = "wait for " + t.name + " to finish";
    switch_from(me, m);
  }
  me->site = nullptr;
  me->ignore_stop = false;
}

void DeterministicScheduler::await_other_threads() {
  std::unique_lock m(mutex_);
  Slot* me = slot_of(current_thread_state());
  if (!me) {
    m.unlock();
    return Scheduler::await_other_threads();
  }
  while (order_.size() > 1 && !stopped_) {
    me->state = State::kBlocked;
    me->awaiting_all = true;
    me->site = nullptr;
    me->wake_at = -1;
    me->doing = "wait for the other threads to end";
    switch_from(me, m);
  }
  me->awaiting_all = false;
}

void DeterministicScheduler::pause() {
  {
    std::unique_lock m(mutex_);
    Slot* me = slot_of(current_thread_state());
    if (me && !stopped_) {
      me->state = State::kRunnable;
      me->doing = "retry";
      switch_from(me, m);
      return;
    }
  }
  Scheduler::pause();
}

int DeterministicScheduler::wait_fds(WaitSite& site, const std::vector<pollfd>& wanted, Deadline deadline) {
  ThreadState& t = current_thread_state();
  Slot* me;
  {
    std::lock_guard m(mutex_);
    me = slot_of(t);
  }
  if (!me) return Scheduler::wait_fds(site, wanted, deadline);  // not a thread of the run's
  detail::check_stop(t);
  std::vector<pollfd> fds = wanted;
  auto first_ready = [&]() -> int {
    for (pollfd& p : fds) p.revents = 0;
    if (::poll(fds.data(), fds.size(), 0) <= 0) return -1;
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (fds[i].revents != 0) return static_cast<int>(i);
    return -1;
  };
  if (int i = first_ready(); i >= 0) return i;
  double wake_at = lecture_time_of(deadline);
  std::vector<pollfd> watched;  // what the scheduler looks at: poll(2) ignores negative ones
  for (const pollfd& p : wanted)
    if (p.fd >= 0) watched.push_back({p.fd, p.events, 0});
  detail::Parked parked(t, site, deadline.forever());
  for (;;) {
    switch (park_on(me, site, wake_at, watched, false)) {
      case Parking::kTimedOut: return -1;
      case Parking::kGivenUp: return Scheduler::wait_fds(site, wanted, deadline);  // runs on alone, in real time
      case Parking::kWoken: break;
    }
    detail::check_stop(t);
    if (int i = first_ready(); i >= 0) {
      parked.ok = true;
      return i;
    }
  }
}

bool DeterministicScheduler::wait_shared(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                                         Deadline deadline) {
  ThreadState& t = current_thread_state();
  Slot* me;
  {
    std::lock_guard m(mutex_);
    me = slot_of(t);
  }
  if (!me) return Scheduler::wait_shared(site, attempt, deadline);
  detail::check_stop(t);
  // Each attempt is a look that does not block (its time is up at once): the turn is ours.
  if (attempt(SteadyClock::now())) return true;
  double wake_at = lecture_time_of(deadline);
  detail::Parked parked(t, site, deadline.forever());
  for (;;) {
    switch (park_on(me, site, wake_at, {}, true)) {
      case Parking::kTimedOut: return false;
      case Parking::kGivenUp: return Scheduler::wait_shared(site, attempt, deadline);
      case Parking::kWoken: break;
    }
    detail::check_stop(t);
    if (attempt(SteadyClock::now())) {
      parked.ok = true;
      return true;
    }
  }
}

DeterministicScheduler::Parking DeterministicScheduler::park_on(Slot* me, WaitSite& site, double wake_at,
                                                                const std::vector<pollfd>& fds, bool retry) {
  std::unique_lock m(mutex_);
  if (wake_at >= 0 && now_ >= wake_at) return Parking::kTimedOut;
  if (stopped_) return Parking::kGivenUp;
  me->state = State::kBlocked;
  me->site = &site;
  me->fds = fds;
  me->retry = retry;
  me->retry_after = progress_;
  me->wake_at = wake_at;
  me->doing = "wait for " + site.label();
  switch_from(me, m);
  me->site = nullptr;
  me->fds.clear();
  me->retry = false;
  me->wake_at = -1;
  return Parking::kWoken;
}

std::uint64_t DeterministicScheduler::decisions() const {
  std::lock_guard m(mutex_);
  return decisions_;
}

}  // namespace concur
