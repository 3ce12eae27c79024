#include "core/aio/future.h"

#include <asio/post.hpp>
#include <asio/this_coro.hpp>

#include <cstdint>

#include "core/runtime.h"
#include "core/trace.h"

namespace concur::aio {

namespace detail {

// The task whose step this thread runs (future.h), in PerThread (loop.h). A raw pointer:
// it is cleared before the step ends (suspend, TaskTrace, the loop after each callback),
// and the step's coroutine frame keeps the task's state alive meanwhile.
StateBase* running_task() { return per_thread().running_task; }
void set_running_task(StateBase* task) { per_thread().running_task = task; }

void StateBase::finish() {
  done = true;
  for (auto& w : waiters)
    if (auto waker = w.lock()) waker->cancel();
  waiters.clear();
  cancel_waiter = nullptr;
  schedule_callbacks();
}

bool StateBase::cancel() {
  if (done) return false;
  if (is_task()) {
    // Python's Task.cancel: cancel what the task awaits (it wakes with CancelledError);
    // else remember, for its next step.
    if (cancel_waiter) {
      std::function<bool()> cancel_it = cancel_waiter;  // it may clear cancel_waiter
      if (cancel_it()) return true;
    }
    must_cancel = true;
    return true;
  }
  if (cancel_children) return cancel_children();
  mark_cancelled();
  return true;
}

std::string StateBase::repr() const {
  std::string state = !done ? "pending" : cancelled ? "cancelled" : "finished";
  if (is_task()) return "<Task " + state + " name='" + task_name + "'>";
  return "<Future " + state + ">";
}

Coro<void> suspend(std::shared_ptr<asio::steady_timer> waker, const std::function<bool()>& cancel_it,
                   const std::function<bool()>& woken) {
  StateBase* running = running_task();
  std::shared_ptr<StateBase> me = running ? running->shared_from_this() : nullptr;
  if (me) {
    me->cancel_waiter = cancel_it;
    // Python's __step: a task that must cancel cancels the future it is about to await.
    if (me->must_cancel && cancel_it()) me->must_cancel = false;
  }
  set_running_task(nullptr);
  if (woken()) {
    auto executor = co_await asio::this_coro::executor;
    co_await asio::post(executor, asio::use_awaitable);  // one turn, as Python's wake-up
  } else {
    std::error_code ec;  // operation_aborted: woken
    co_await waker->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (me) {
    me->cancel_waiter = nullptr;
    set_running_task(me.get());
    if (me->must_cancel) {
      me->must_cancel = false;
      throw CancelledError();
    }
  }
}

TaskTrace::TaskTrace(std::shared_ptr<StateBase> t) : task(std::move(t)) {
  set_running_task(task.get());
  trace::record_task(trace::Kind::kStart, task->task_name);
}

TaskTrace::~TaskTrace() {
  trace::record_task(trace::Kind::kEnd, task->task_name);
  if (running_task() == task.get()) set_running_task(nullptr);
}

void trace_await(const std::string& me, bool begins) {
  if (me.empty() || !trace::on()) return;
  trace::record_task(begins ? trace::Kind::kWait : trace::Kind::kWoken, me, SiteKind::kFuture, "future");
}

std::string next_task_name() {
  // Counted per thread and per run, as each run of a demo starts its names afresh.
  PerThread& t = per_thread();
  if (t.task_run != runtime().run_id()) {
    t.task_run = runtime().run_id();
    t.task_counter = 0;
  }
  return "Task-" + std::to_string(++t.task_counter);
}

void cancel_all_tasks(EventLoop& loop) {
  std::vector<std::shared_ptr<StateBase>> to_cancel = all_tasks(loop);
  if (to_cancel.empty()) return;
  for (const auto& t : to_cancel) t->cancel();
  loop.run_until([&] {
    for (const auto& t : to_cancel)
      if (!t->done) return false;
    return true;
  });
  for (const auto& t : to_cancel) {
    if (t->cancelled || !t->error) continue;
    std::string what = "?";
    try {
      std::rethrow_exception(t->error);
    } catch (const PyError& e) {
      what = e.type() + (e.what()[0] ? ": " : "") + e.what();
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    loop.call_exception_handler("unhandled exception during asyncio.run() shutdown", "task: " + t->repr(), what);
  }
}

}  // namespace detail

std::optional<std::string> current_task() {
  detail::StateBase* running = detail::running_task();
  if (running == nullptr) return std::nullopt;
  return running->task_name;
}

}  // namespace concur::aio
