// asyncio's Future and Task, create_task, gather, run_until_complete and run.
//
//   aio::Future<std::string> future;                      // future = asyncio.Future()
//   aio::create_task(Myoperation(future));                 // asyncio.ensure_future(Myoperation(future))
//   loop.run_until_complete(future);                       // loop.run_until_complete(future)
//   print("{}", future.result());                          // print(future.result())
//
//   auto t1 = aio::create_task(task1());                   // t1 = asyncio.create_task(task1())
//   co_await t1.wait();                                    // await t1
//   co_await aio::gather(task1(), task2());                // await asyncio.gather(task1(), task2())
//   aio::run(main_());                                     // asyncio.run(main())
//
// A Future is pending until set_result/set_exception/cancel makes it done; copies share
// one state, as Python names share one object. Its done callbacks are scheduled with
// call_soon, never called inside set_result. `co_await f.wait()` is Python's `await f`
// (Asio's coroutines only await Asio operations, hence the named call): it suspends the
// coroutine, not the thread, until f is done, then gives the result or rethrows.
//
// A Task is a Future driven by a coroutine: create_task schedules the coroutine's first
// step on the loop (call_soon), so nothing of it runs inside create_task; when the
// coroutine returns or raises, the task is done. gather() wraps each coroutine in a task,
// as asyncio does, so they all make progress together; it gives the results in argument
// order, and the first exception as soon as one is raised. (Asio 1.22's parallel groups
// have no form for a run-time list of operations; tasks are what asyncio.gather is built
// on anyway.)
//
// Errors are asyncio's: result() of a pending future raises InvalidStateError("Result is
// not set."), of a cancelled one CancelledError; set_result on a done future
// InvalidStateError("invalid state").
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/aio/loop.h"
#include "core/errors.h"

namespace concur::aio {

namespace detail {
// The task whose step the calling thread's loop is running ("" outside any). Every await in
// this layer (sleep, a future's wait) sets it again when its coroutine resumes, which is how
// the instructor's views (trace.h) tell tasks apart on the one loop thread.
std::string& current_task();
// Records task `me` beginning (`begins`) or ending an await on a future.
void trace_await(const std::string& me, bool begins);
}  // namespace detail

namespace detail {

template <typename T>
struct Stored {
  using type = T;
};
template <>
struct Stored<void> {
  using type = std::monostate;
};

template <typename T>
struct FutureState : std::enable_shared_from_this<FutureState<T>> {
  explicit FutureState(EventLoop& l) : loop(&l) {}
  EventLoop* loop;
  bool done = false;
  bool cancelled = false;
  std::optional<typename Stored<T>::type> value;
  std::exception_ptr error;
  // Done callbacks take the state when they run: holding it themselves would make a cycle
  // (state -> callback -> state) that leaks a future never finished.
  std::vector<std::function<void(const std::shared_ptr<FutureState>&)>> callbacks;
  std::vector<std::shared_ptr<asio::steady_timer>> waiters;  // coroutines in wait()

  void finish() {
    done = true;
    for (auto& w : waiters) w->cancel();
    waiters.clear();
    auto self = this->shared_from_this();
    for (auto& cb : callbacks) loop->call_soon([cb = std::move(cb), self] { cb(self); });
    callbacks.clear();
  }
};

// The loop a new future or task belongs to: the running one, else the thread's.
inline EventLoop& current_loop() {
  try {
    return get_running_loop();
  } catch (const RuntimeError&) {
    return get_event_loop();
  }
}

}  // namespace detail

template <typename T = void>
class Future {
 public:
  using State = detail::FutureState<T>;

  // asyncio.Future(): a pending future on the current loop.
  Future() : state_(std::make_shared<State>(detail::current_loop())) {}
  explicit Future(EventLoop& loop) : state_(std::make_shared<State>(loop)) {}

  bool done() const { return state_->done; }
  bool cancelled() const { return state_->cancelled; }

  // Marks the future done with a value (none for Future<void>).
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void set_result(U value) {
    check_pending();
    state_->value = std::move(value);
    state_->finish();
  }
  template <typename U = T>
    requires std::is_void_v<U>
  void set_result() {
    check_pending();
    state_->value = std::monostate{};
    state_->finish();
  }

  // Marks the future done with an exception, which result() and wait() rethrow.
  void set_exception(std::exception_ptr error) {
    check_pending();
    state_->error = std::move(error);
    state_->finish();
  }

  // Cancels a pending future: true; false when it was already done.
  bool cancel() {
    if (state_->done) return false;
    state_->cancelled = true;
    state_->finish();
    return true;
  }

  // The result of a done future (rethrows its exception); see the errors above.
  T result() const {
    if (state_->cancelled) throw CancelledError();
    if (!state_->done) throw InvalidStateError("Result is not set.");
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>) return *state_->value;
  }

  // The exception a done future holds, or nullptr.
  std::exception_ptr exception() const {
    if (state_->cancelled) throw CancelledError();
    if (!state_->done) throw InvalidStateError("Exception is not set.");
    return state_->error;
  }

  // Schedules fn(this future) with call_soon once the future is done (at once if it is).
  void add_done_callback(std::function<void(Future<T>)> fn) {
    if (state_->done) {
      Future<T> self = *this;
      state_->loop->call_soon([self, fn = std::move(fn)] { fn(self); });
    } else {
      state_->callbacks.push_back([fn = std::move(fn)](const std::shared_ptr<State>& st) { fn(Future<T>(st)); });
    }
  }

  // Python's `await future`: suspends the calling coroutine until the future is done.
  Coro<T> wait() const { return wait_on(state_); }

  EventLoop& get_loop() const { return *state_->loop; }
  bool operator==(const Future& o) const { return state_ == o.state_; }

 private:
  void check_pending() const {
    if (state_->done) throw InvalidStateError("invalid state");
  }

  static Coro<T> wait_on(std::shared_ptr<State> st) {
    std::string me = detail::current_task();  // the awaiting task, for the trace
    if (!st->done) detail::trace_await(me, true);
    bool waited = !st->done;
    while (!st->done) {
      auto waiter = std::make_shared<asio::steady_timer>(st->loop->context(), asio::steady_timer::time_point::max());
      st->waiters.push_back(waiter);
      std::error_code ec;  // operation_aborted: the future finished
      co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      detail::current_task() = me;
    }
    if (waited) detail::trace_await(me, false);
    co_return Future<T>(st).result();
  }

  explicit Future(std::shared_ptr<State> st) : state_(std::move(st)) {}

  std::shared_ptr<State> state_;
};

// A Future driven by a coroutine; named `Task-N` as asyncio names tasks.
template <typename T = void>
class Task : public Future<T> {
 public:
  Task(EventLoop& loop, std::string name) : Future<T>(loop), name_(std::move(name)) {}
  const std::string& get_name() const { return name_; }

 private:
  std::string name_;
};

namespace detail {
// Task-1, Task-2, ... counted per loop thread.
std::string next_task_name();
}  // namespace detail

namespace detail {
// Records the start or end of the task `name` for the trace, and makes it current.
struct TaskTrace {
  explicit TaskTrace(std::string name);
  ~TaskTrace();
  TaskTrace(const TaskTrace&) = delete;
  TaskTrace& operator=(const TaskTrace&) = delete;
  std::string name;
};
// The task's coroutine as the loop runs it: its start and end recorded around its body.
template <typename T>
Coro<T> as_task(Coro<T> body, std::string name) {
  TaskTrace traced(std::move(name));
  if constexpr (std::is_void_v<T>)
    co_await std::move(body);
  else
    co_return co_await std::move(body);
}

// Makes a task on `loop` whose first step is scheduled there with call_soon.
template <typename T>
Task<T> spawn(EventLoop& loop, Coro<T> coro) {
  Task<T> task(loop, next_task_name());
  auto body = std::make_shared<Coro<T>>(as_task(std::move(coro), task.get_name()));
  loop.call_soon([task, body, &loop]() mutable {
    if (task.done()) return;  // cancelled before it started
    asio::co_spawn(loop.context(), std::move(*body), [task](std::exception_ptr e, auto... value) mutable {
      if (task.done()) return;
      if (e)
        task.set_exception(e);
      else
        task.set_result(std::move(value)...);
    });
  });
  return task;
}
}  // namespace detail

// asyncio.create_task(coro) / ensure_future(coro): schedules the coroutine on the current
// loop and returns its Task at once.
template <typename T>
Task<T> create_task(Coro<T> coro) {
  return detail::spawn(detail::current_loop(), std::move(coro));
}
template <typename T>
Task<T> ensure_future(Coro<T> coro) {
  return create_task(std::move(coro));
}

namespace detail {
// Waits until every future is done, or one holds an exception (rethrown at once).
template <typename T>
Coro<void> wait_all(const std::vector<Task<T>>& tasks) {
  Future<void> all(get_running_loop());
  auto left = std::make_shared<std::size_t>(tasks.size());
  if (tasks.empty()) all.set_result();
  for (const auto& t : tasks)
    Future<T>(t).add_done_callback([all, left](Future<T> f) mutable {
      if (all.done()) return;
      if (!f.cancelled() && f.exception())
        all.set_exception(f.exception());
      else if (--*left == 0)
        all.set_result();
    });
  co_await all.wait();
}
}  // namespace detail

// asyncio.gather(*coros): runs them concurrently; their results in argument order.
template <typename T>
  requires(!std::is_void_v<T>)
Coro<std::vector<T>> gather(std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  for (auto& c : coros) tasks.push_back(create_task(std::move(c)));
  co_await detail::wait_all(tasks);
  std::vector<T> results;
  for (const auto& t : tasks) results.push_back(t.result());
  co_return results;
}
inline Coro<void> gather(std::vector<Coro<void>> coros) {
  std::vector<Task<void>> tasks;
  for (auto& c : coros) tasks.push_back(create_task(std::move(c)));
  co_await detail::wait_all(tasks);
  for (const auto& t : tasks) t.result();
}
// gather(a(), b(), c()) for coroutines of one result type.
template <typename T, typename... More>
  requires(std::is_same_v<Coro<T>, More> && ...)
auto gather(Coro<T> first, More... more) {
  std::vector<Coro<T>> coros;
  coros.push_back(std::move(first));
  (coros.push_back(std::move(more)), ...);
  return gather(std::move(coros));
}

// asyncio.gather(task1, task2): tasks already running, awaited together; their results in
// argument order.
template <typename T>
Coro<std::vector<typename detail::Stored<T>::type>> gather(std::vector<Task<T>> tasks) {
  co_await detail::wait_all(tasks);
  std::vector<typename detail::Stored<T>::type> results;
  for (const auto& t : tasks) {
    if constexpr (std::is_void_v<T>) {
      t.result();
      results.emplace_back();
    } else {
      results.push_back(t.result());
    }
  }
  co_return results;
}
template <typename T, typename... More>
  requires(std::is_same_v<Task<T>, More> && ...)
auto gather(Task<T> first, More... more) {
  return gather(std::vector<Task<T>>{std::move(first), std::move(more)...});
}

template <typename T>
T EventLoop::run_until_complete(const Future<T>& future) {
  run_until([&] { return future.done(); });
  return future.result();
}
template <typename T>
T EventLoop::run_until_complete(Coro<T> coro) {
  return run_until_complete(Future<T>(detail::spawn(*this, std::move(coro))));
}

// asyncio.run(main): a new loop runs main to its end and is closed; main's result.
// Throws RuntimeError when called from a running loop.
template <typename T>
T run(Coro<T> main) {
  try {
    get_running_loop();
  } catch (const RuntimeError&) {
    std::unique_ptr<EventLoop> loop = new_event_loop();
    struct Close {
      EventLoop& l;
      ~Close() { l.close(); }
    } close{*loop};
    return loop->run_until_complete(std::move(main));
  }
  throw RuntimeError("asyncio.run() cannot be called from a running event loop");
}

}  // namespace concur::aio
