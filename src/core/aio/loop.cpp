#include "core/park.h"
#include "core/aio/loop.h"

#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <poll.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/aio/future.h"
#include "core/clock.h"
#include "core/errors.h"
#include "core/io_stop.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"

namespace concur::aio {

namespace {

}  // namespace

detail::PerThread& detail::per_thread() {
  ThreadState& me = current_thread_state();
  if (!me.aio) me.aio = std::make_shared<PerThread>();
  return *static_cast<PerThread*>(me.aio.get());
}

void TimerHandle::cancel() {
  *cancelled_ = true;
  if (auto timer = timer_.lock()) timer->cancel();
}

EventLoop::~EventLoop() {
  closed_ = true;
  timers_ = {};
  fd_waits_.clear();
  tasks_.clear();
  // ctx_ goes last (it is declared first): its pending handlers, coroutine frames and
  // timers are destroyed with it, while it still exists.
}

namespace {
// What a caught exception says, as Python's last traceback line.
std::string describe(const std::exception& e) {
  const auto* py = dynamic_cast<const PyError*>(&e);
  return py ? py->type() + (e.what()[0] ? ": " : "") + e.what() : e.what();
}
}  // namespace

void EventLoop::call_exception_handler(const std::string& message, const std::string& context,
                                       const std::string& exception) {
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.err() << message << "\n" << context << "\n" << exception << "\n";
}

void EventLoop::check_open() const {
  if (closed_) throw RuntimeError("Event loop is closed");
}

// The callback as the loop runs it: an exception escaping it is reported, and the loop
// goes on (Python's Handle._run). ThreadExit (a stopped run) is no exception: it unwinds.
std::function<void()> EventLoop::guarded(std::function<void()> fn, std::string name) {
  return [this, fn = std::move(fn), name = std::move(name)] {
    try {
      fn();
    } catch (const std::exception& e) {
      call_exception_handler("Exception in callback " + name + "()", "handle: <Handle " + name + "()>", describe(e));
    }
  };
}

void EventLoop::call_soon(std::function<void()> fn, std::string name) {
  check_open();
  asio::post(ctx_, guarded(std::move(fn), std::move(name)));
}

TimerHandle EventLoop::call_later(double delay, std::function<void()> fn, std::string name) {
  check_open();
  std::function<void()> run = guarded(std::move(fn), std::move(name));
  // The loop's own timers: every one of a deterministic run, and those already due (a
  // delay of 0 or less, due that long ago), which the loop posts in due order on its next
  // turn, as asyncio pops its heap (an Asio timer would wait for the reactor's turn).
  if (scheduler().is_virtual() || delay <= 0) {
    TimerHandle handle;
    timers_.push({time() + delay, timers_made_++, std::move(run), handle.cancelled_});
    return handle;
  }
  auto timer = std::make_shared<asio::steady_timer>(ctx_, scheduler().to_real(delay));
  TimerHandle handle(timer);
  timer->async_wait([timer, cancelled = handle.cancelled_, run = std::move(run)](const std::error_code& ec) {
    if (!ec && !*cancelled) run();
  });
  return handle;
}

double EventLoop::time() const { return time::perf_counter(); }

void EventLoop::post_due_timers() {
  // Everything due by now, in due order (a float sum may land a hair short of `due`).
  while (!timers_.empty() && timers_.top().due <= time() + 1e-9) {
    Timer t = timers_.top();
    timers_.pop();
    if (!*t.cancelled) asio::post(ctx_, std::move(t.fn));
  }
}

bool EventLoop::run_virtual_timers() {
  while (!timers_.empty() && *timers_.top().cancelled) timers_.pop();
  if (timers_.empty()) return false;
  double wait = timers_.top().due - time();
  if (wait > 0) time::sleep(wait);
  post_due_timers();
  return true;
}

Coro<bool> EventLoop::wait_fd(int fd, short events, Deadline deadline, std::string what) {
  pollfd look{fd, events, 0};
  if (::poll(&look, 1, 0) > 0) co_return true;
  auto wait = std::make_shared<FdWait>(FdWait{fd, events, deadline, std::move(what), nullptr});
  wait->waker = std::make_shared<asio::steady_timer>(ctx_, asio::steady_timer::time_point::max());
  fd_waits_.push_back(wait);
  std::error_code woken;
  co_await wait->waker->async_wait(asio::redirect_error(asio::use_awaitable, woken));
  co_return wait->ready;
}

void EventLoop::wait_virtual_fds() {
  // Until the first of: a socket ready, a wait's deadline, the next timer.
  Deadline until = Deadline::never();
  auto earlier = [&until](const Deadline& d) {
    if (!d.forever() && (until.forever() || *d.at < *until.at)) until = d;
  };
  while (!timers_.empty() && *timers_.top().cancelled) timers_.pop();
  if (!timers_.empty()) earlier(Deadline::after(std::max(0.0, timers_.top().due - time())));
  std::vector<pollfd> fds;
  for (const auto& w : fd_waits_) {
    fds.push_back({w->fd, w->events, 0});
    earlier(w->deadline);
  }
  fd_site_.set_label(fd_waits_.size() == 1 && !fd_waits_.front()->what.empty() ? fd_waits_.front()->what
                                                                                : "the event loop's sockets");
  scheduler().wait_fds(fd_site_, fds, until);
  // Every socket ready now resumes, in the order the waits began; so does every wait whose
  // deadline has passed.
  for (pollfd& p : fds) p.revents = 0;
  ::poll(fds.data(), fds.size(), 0);
  SteadyClock::time_point now = scheduler().now();
  std::vector<std::shared_ptr<FdWait>> waiting;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    const auto& w = fd_waits_[i];
    w->ready = fds[i].revents != 0;
    if (w->ready || (!w->deadline.forever() && now >= *w->deadline.at))
      w->waker->cancel();
    else
      waiting.push_back(w);
  }
  fd_waits_.swap(waiting);
}

void EventLoop::run_until(const std::function<bool()>& done, bool then_run_scheduled) {
  check_open();
  if (running_) throw RuntimeError("This event loop is already running");
  // Keeps run_one waiting (rather than returning at once) while nothing is queued, so a
  // callback posted from another thread is still seen; a stop wakes it (io_stop.h). Made
  // before the loop counts as running: it may fail (EMFILE), and the loop must not stay
  // "running" after that.
  auto work = asio::make_work_guard(ctx_);
  IoStopWatch watch(ctx_);
  running_ = true;
  detail::PerThread& mine = detail::per_thread();
  EventLoop* outer = mine.running_loop;
  mine.running_loop = this;
  ThreadState& me = current_thread_state();
  stop_requested_ = false;
  struct Reset {
    EventLoop* self;
    EventLoop* outer;
    detail::PerThread& mine;
    ~Reset() {
      self->running_ = false;
      self->stop_requested_ = false;
      mine.running_loop = outer;
      mine.running_task = nullptr;
    }
  } reset{this, outer, mine};
  ctx_.restart();
  // Once done() holds, asyncio stops the loop from a callback, so what was already
  // scheduled still gets its turn: a marker posted behind it does the same here.
  bool marked = false;
  auto reached = std::make_shared<bool>(false);  // outlives this call if the run stops first
  while (!*reached && !stop_requested_) {
    concur::detail::check_stop(me);
    if (!marked && done()) {
      marked = true;
      if (!then_run_scheduled) break;
      asio::post(ctx_, [reached] { *reached = true; });
    }
    // After each callback, no task is running (a task's step is one callback).
    if (scheduler().is_virtual()) {
      // The timers already due join the ready callbacks (asyncio's _run_once: a negative
      // call_later delay is due at once); when none is ready, the clock moves on to the
      // next timer.
      post_due_timers();
      bool ran = ctx_.poll_one() > 0;
      detail::set_running_task(nullptr);
      if (ran) continue;
      if (!fd_waits_.empty()) {
        wait_virtual_fds();
        continue;
      }
      if (run_virtual_timers()) continue;
    }
    post_due_timers();
    ctx_.run_one();
    detail::set_running_task(nullptr);
  }
}

void EventLoop::run_forever() {
  run_until([] { return false; }, false);  // until stop(), which was posted behind the callbacks before it
}

void EventLoop::stop() {
  // Posted, so that the callbacks scheduled before stop() still run first (Python runs
  // the current batch of callbacks, then returns from run_forever).
  asio::post(ctx_, [this] { stop_requested_ = true; });
}

void EventLoop::close() {
  if (running_) throw RuntimeError("Cannot close a running event loop");
  if (closed_) return;
  closed_ = true;
  timers_ = {};
  ctx_.stop();
}

EventLoop& get_event_loop() {
  detail::PerThread& t = detail::per_thread();
  if (t.running_loop != nullptr) return *t.running_loop;
  // A new run (the CLI runs demos one after another in one process) starts from a fresh loop.
  std::uint64_t run = runtime().run_id();
  if (!t.loop || t.loop->is_closed() || t.loop_run != run) {
    t.loop = std::make_unique<EventLoop>();
    t.loop_run = run;
  }
  return *t.loop;
}

std::unique_ptr<EventLoop> new_event_loop() { return std::make_unique<EventLoop>(); }

void detail::register_task(EventLoop& loop, const std::shared_ptr<StateBase>& task) {
  auto& tasks = loop.tasks();
  std::erase_if(tasks, [](const std::weak_ptr<StateBase>& t) {
    auto s = t.lock();
    return !s || s->done;
  });
  tasks.push_back(task);
}

std::vector<std::shared_ptr<detail::StateBase>> detail::all_tasks(EventLoop& loop) {
  std::vector<std::shared_ptr<StateBase>> pending;
  for (const auto& t : loop.tasks())
    if (auto s = t.lock(); s && !s->done) pending.push_back(s);
  return pending;
}

EventLoop& get_running_loop() {
  EventLoop* running = detail::per_thread().running_loop;
  if (running == nullptr) throw RuntimeError("no running event loop");
  return *running;
}

Coro<void> sleep(double delay) {
  if (std::isnan(delay)) throw ValueError("Invalid delay: NaN (not a number)");
  // For the trace: which task sleeps, and that it is the current one again when it wakes.
  detail::StateBase* task = detail::running_task();
  std::string me = task ? task->task_name : "";
  if (!me.empty()) trace::record_task(trace::Kind::kSleep, me, SiteKind::kSleep, {}, delay);
  if (delay <= 0) {
    // asyncio's __sleep0: a bare yield, one turn of the loop; nothing to cancel, so a
    // cancel() meanwhile is the task's must_cancel, thrown as it resumes.
    std::function<bool()> nothing = [] { return false; };
    std::function<bool()> at_once = [] { return true; };
    co_await detail::suspend(nullptr, nothing, at_once);
    if (!me.empty()) trace::record_task(trace::Kind::kAwake, me);
    co_return;
  }
  EventLoop& loop = get_running_loop();
  auto executor = co_await asio::this_coro::executor;
  std::shared_ptr<asio::steady_timer> waker;
  TimerHandle handle;  // the loop's own timer (deterministic runs)
  if (scheduler().is_virtual()) {
    // The loop's own timer wakes this coroutine: a waiter that never expires by itself,
    // cancelled when the lecture clock reaches the delay.
    waker = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    handle = loop.call_later(delay, [weak = std::weak_ptr(waker)] {
      if (auto w = weak.lock()) w->cancel();
    });
  } else {
    waker = std::make_shared<asio::steady_timer>(executor, scheduler().to_real(delay));
  }
  // Python's `finally: h.cancel()`: however the sleep ends, its timer goes (a leftover
  // one would hold the virtual clock back for nothing). Not once the loop is closing.
  struct CancelTimer {
    TimerHandle h;
    EventLoop& l;
    ~CancelTimer() {
      if (!l.is_closed()) h.cancel();
    }
  } cancel_timer{handle, loop};
  auto cancelled = std::make_shared<bool>(false);
  // Named, not temporaries of the co_await: GCC 12 destroys such temporaries twice.
  std::function<bool()> cancel_it = [cancelled, weak = std::weak_ptr(waker), handle]() mutable {
    *cancelled = true;
    handle.cancel();
    if (auto w = weak.lock()) w->cancel();
    return true;
  };
  std::function<bool()> woken = [cancelled] { return *cancelled; };
  co_await detail::suspend(waker, cancel_it, woken);
  if (*cancelled) throw CancelledError();
  if (!me.empty()) trace::record_task(trace::Kind::kAwake, me);
}

}  // namespace concur::aio
