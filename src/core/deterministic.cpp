#include "core/deterministic.h"

#include <algorithm>
#include <limits>
#include <thread>

#include "core/deadlock.h"
#include "core/errors.h"
#include "core/park.h"
#include "core/runtime.h"

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

}  // namespace

DeterministicScheduler::DeterministicScheduler(std::uint64_t seed, Chooser* chooser)
    : rng_(seed), chooser_(chooser) {
  ThreadState& main = current_thread_state();
  auto slot = std::make_unique<Slot>();
  slot->thread = &main;
  slot->number = 0;
  slot->state = State::kRunning;
  slot->fiber = std::make_unique<Fiber>();
  main_ = slot.get();
  order_.push_back(slot.get());
  slots_[&main] = std::move(slot);
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
      [[fallthrough]];
    case State::kSleeping:  // stopped: to unwind
      return (s.thread->stop.load() != 0 || runtime().cancelled()) && !s.ignore_stop;
    case State::kFinished: return false;
  }
  return false;
}

DeterministicScheduler::Slot* DeterministicScheduler::pick(std::unique_lock<std::mutex>& m) {
  for (;;) {
    if (stopped_) return nullptr;
    std::vector<Slot*> ready;
    for (Slot* s : order_)
      if (runnable(*s)) ready.push_back(s);
    if (ready.empty()) {
      // Nobody can run: the clock jumps to the end of the earliest sleep or timed wait.
      double next = std::numeric_limits<double>::infinity();
      for (Slot* s : order_)
        if ((s->state == State::kBlocked || s->state == State::kSleeping) && s->wake_at >= 0)
          next = std::min(next, s->wake_at);
      if (next == std::numeric_limits<double>::infinity()) {
        report_stuck(m);
        continue;
      }
      now_.store(std::max(now_.load(), next));
      for (Slot* s : order_)
        if ((s->state == State::kBlocked || s->state == State::kSleeping) && s->wake_at >= 0 && s->wake_at <= now_)
          s->state = State::kRunnable;
      continue;
    }
    if (ready.size() == 1) return ready.front();
    ++decisions_;
    std::size_t seeded = static_cast<std::size_t>(rng_() % ready.size());
    // A stopped run unwinds in the seeded order: no more questions for the instructor.
    if (!chooser_ || runtime().cancelled()) return ready[seeded];
    std::vector<Candidate> candidates;
    for (Slot* s : ready) candidates.push_back({s->thread, s->doing});
    m.unlock();
    std::size_t chosen = chooser_->choose(candidates, seeded);
    m.lock();
    return ready[chosen < ready.size() ? chosen : seeded];
  }
}

void DeterministicScheduler::report_stuck(std::unique_lock<std::mutex>& m) {
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
  double wake_at = deadline.forever() ? -1 : std::chrono::duration<double>(deadline.at->time_since_epoch()).count();
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
  t.native_id = kMainNativeId + s->number;
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

std::uint64_t DeterministicScheduler::decisions() const {
  std::lock_guard m(mutex_);
  return decisions_;
}

}  // namespace concur
