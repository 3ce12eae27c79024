#include "core/park.h"
#include "core/aio/loop.h"

#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdint>

#include "core/aio/future.h"
#include "core/clock.h"
#include "core/errors.h"
#include "core/io_stop.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"

namespace concur::aio {

namespace {

// The loop each thread gets from get_event_loop(), and the run it was made in: a new run
// (the CLI runs demos one after another in one process) starts from a fresh loop.
struct ThreadLoop {
  std::unique_ptr<EventLoop> loop;
  std::uint64_t run_id = 0;
};
thread_local ThreadLoop this_thread_loop;

// The loop whose run_forever/run_until_complete is on this thread's stack.
thread_local EventLoop* running_loop = nullptr;

}  // namespace

void TimerHandle::cancel() {
  *cancelled_ = true;
  if (timer_) timer_->cancel();
}

void EventLoop::check_open() const {
  if (closed_) throw RuntimeError("Event loop is closed");
}

void EventLoop::call_soon(std::function<void()> fn) {
  check_open();
  asio::post(ctx_, std::move(fn));
}

TimerHandle EventLoop::call_later(double delay, std::function<void()> fn) {
  check_open();
  if (scheduler().is_virtual()) {
    TimerHandle handle;
    timers_.push({time() + (delay < 0 ? 0 : delay), timers_made_++, std::move(fn), handle.cancelled_});
    return handle;
  }
  auto timer = std::make_shared<asio::steady_timer>(ctx_, scheduler().to_real(delay < 0 ? 0 : delay));
  TimerHandle handle(timer);
  timer->async_wait([timer, cancelled = handle.cancelled_, fn = std::move(fn)](const std::error_code& ec) {
    if (!ec && !*cancelled) fn();
  });
  return handle;
}

double EventLoop::time() const { return time::perf_counter(); }

bool EventLoop::run_virtual_timers() {
  while (!timers_.empty() && *timers_.top().cancelled) timers_.pop();
  if (timers_.empty()) return false;
  double wait = timers_.top().due - time();
  if (wait > 0) time::sleep(wait);
  // Everything due by now, in due order (a float sum may land a hair short of `due`).
  while (!timers_.empty() && timers_.top().due <= time() + 1e-9) {
    Timer t = timers_.top();
    timers_.pop();
    if (!*t.cancelled) asio::post(ctx_, std::move(t.fn));
  }
  return true;
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
  EventLoop* outer = running_loop;
  running_loop = this;
  ThreadState& me = current_thread_state();
  struct Reset {
    EventLoop* self;
    EventLoop* outer;
    ~Reset() {
      self->running_ = false;
      running_loop = outer;
    }
  } reset{this, outer};
  ctx_.restart();
  // Once done() holds, asyncio stops the loop from a callback, so what was already
  // scheduled still gets its turn: a marker posted behind it does the same here.
  bool marked = false;
  auto reached = std::make_shared<bool>(false);  // outlives this call if the run stops first
  while (!*reached) {
    concur::detail::check_stop(me);
    if (!marked && done()) {
      marked = true;
      if (!then_run_scheduled) break;
      asio::post(ctx_, [reached] { *reached = true; });
    }
    if (scheduler().is_virtual()) {
      // Ready callbacks first; then the clock moves on to the next timer.
      if (ctx_.poll_one() > 0 || run_virtual_timers()) continue;
    }
    ctx_.run_one();
  }
}

void EventLoop::run_forever() {
  stop_requested_ = false;
  run_until([this] { return stop_requested_; }, false);  // stop() itself was posted behind them
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
  if (running_loop != nullptr) return *running_loop;
  ThreadLoop& t = this_thread_loop;
  std::uint64_t run = runtime().run_id();
  if (!t.loop || t.loop->is_closed() || t.run_id != run) {
    t.loop = std::make_unique<EventLoop>();
    t.run_id = run;
  }
  return *t.loop;
}

std::unique_ptr<EventLoop> new_event_loop() { return std::make_unique<EventLoop>(); }

EventLoop& get_running_loop() {
  if (running_loop == nullptr) throw RuntimeError("no running event loop");
  return *running_loop;
}

Coro<void> sleep(double delay) {
  // For the trace: which task sleeps, and that it is the current one again when it wakes.
  std::string me = detail::current_task();
  if (!me.empty()) trace::record_task(trace::Kind::kSleep, me, SiteKind::kSleep, {}, delay);
  std::error_code ec;
  if (scheduler().is_virtual()) {
    // The loop's own timer wakes this coroutine: a waiter that never expires by itself,
    // cancelled when the lecture clock reaches the delay.
    auto waker = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                      asio::steady_timer::time_point::max());
    get_running_loop().call_later(delay, [waker] { waker->cancel(); });
    co_await waker->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  } else {
    asio::steady_timer timer(co_await asio::this_coro::executor, scheduler().to_real(delay < 0 ? 0 : delay));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  detail::current_task() = me;
  if (!me.empty()) trace::record_task(trace::Kind::kAwake, me);
}

}  // namespace concur::aio
