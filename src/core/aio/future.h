// asyncio's Future and Task, create_task, gather, run_until_complete and run.
//
//   aio::Future<std::string> future;                      // future = asyncio.Future()
//   aio::create_task(Myoperation(future));                 // asyncio.ensure_future(Myoperation(future))
//   loop.run_until_complete(future);                       // loop.run_until_complete(future)
//   print("{}", future.result());                          // print(future.result())
//
//   auto t1 = aio::create_task(task1());                   // t1 = asyncio.create_task(task1())
//   co_await t1.wait();                                    // await t1
//   t1.cancel();                                           // t1.cancel()
//   co_await aio::gather(task1(), task2());                // await asyncio.gather(task1(), task2())
//   auto group = aio::gather_future({t1, t2});             // group = asyncio.gather(t1, t2)
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
// Cancellation is Task.cancel's (CPython's test_tasks): cancel() asks; the coroutine
// decides. A task suspended in an await of this layer (sleep, a future's or task's wait,
// gather) gets CancelledError thrown at that await, and what it awaited is cancelled too
// (the sleep's timer, the future, the awaited task, the gather and so its children). It
// may catch the error and go on, or clean up and re-raise; the task is cancelled() only
// when its coroutine ends with CancelledError, and one that swallowed it ends with its
// result. A task cancelled before its first step never runs its coroutine; one cancelled
// while it runs (it cancels itself) gets the error at its next suspending await (Python's
// _must_cancel), or is cancelled as it returns if it awaits nothing more. Any coroutine
// that lets a CancelledError escape (it awaited a cancelled future) ends its task
// cancelled. Where concur differs: a coroutine suspended in an Asio operation of its own
// (a socket read of net::async_get) is not reached there, and is not the current task
// again until it ends (asyncio's sockets are futures of the loop; Asio's are not).
//
// Errors are asyncio's: result() of a pending future raises InvalidStateError("Result is
// not set."), of a cancelled one CancelledError; set_result on a done future
// InvalidStateError("invalid state"), on a Task RuntimeError("Task does not support
// set_result operation") (and set_exception likewise); a task awaiting itself gets
// RuntimeError("Task cannot await on itself: <Task pending name='Task-1'>"), one awaiting
// a future of another loop RuntimeError("Task <...> got Future <...> attached to a
// different loop").
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

template <typename T>
struct Stored {
  using type = T;
};
template <>
struct Stored<void> {
  using type = std::monostate;
};

// What every future's state has, whatever its result type: done or not, how, who waits,
// and, for a Task, what cancel() needs to reach its coroutine.
struct StateBase : std::enable_shared_from_this<StateBase> {
  explicit StateBase(EventLoop& l) : loop(&l) {}
  StateBase(const StateBase&) = delete;
  StateBase& operator=(const StateBase&) = delete;
  virtual ~StateBase() = default;

  EventLoop* loop;
  bool done = false;
  bool cancelled = false;
  std::exception_ptr error;
  // Coroutines suspended in wait(): their wakers, owned by their coroutine frames (which the
  // loop's io_context owns), so that no future outliving its loop holds one of its timers.
  std::vector<std::weak_ptr<asio::steady_timer>> waiters;

  // A Task: its name ("" for a plain future); cancel() asked for while nothing could be
  // cancelled for it (Python's _must_cancel); and, while it is suspended in an await of
  // this layer, what cancels the thing it awaits (Python's _fut_waiter.cancel).
  std::string task_name;
  bool must_cancel = false;
  std::function<bool()> cancel_waiter;

  // gather's outer future: cancel() cancels the children instead (_GatheringFuture.cancel),
  // and the outer future ends with CancelledError once they are done.
  std::function<bool()> cancel_children;
  bool cancel_requested = false;

  bool is_task() const { return !task_name.empty(); }

  // Done now: wakes the waiting coroutines and schedules the done callbacks.
  void finish();
  // Future.cancel / Task.cancel / _GatheringFuture.cancel; false when already done.
  bool cancel();
  // Ends the future cancelled.
  void mark_cancelled() {
    cancelled = true;
    finish();
  }
  // "<Task pending name='Task-1'>", "<Future finished>", as Python's repr reads.
  std::string repr() const;

 protected:
  virtual void schedule_callbacks() = 0;
};

template <typename T>
struct FutureState : StateBase {
  explicit FutureState(EventLoop& l) : StateBase(l) {}
  std::optional<typename Stored<T>::type> value;
  // Done callbacks take the state when they run: holding it themselves would make a cycle
  // (state -> callback -> state) that leaks a future never finished.
  std::vector<std::function<void(const std::shared_ptr<FutureState>&)>> callbacks;

  // How a task's coroutine ended: its exception (CancelledError makes the task
  // cancelled), or its value (a cancel() it never awaited after also makes it cancelled).
  template <typename... V>
  void complete(std::exception_ptr e, V&&... v) {
    if (done) return;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const CancelledError&) {
        mark_cancelled();
        return;
      } catch (...) {
      }
      error = std::move(e);
      finish();
      return;
    }
    if (must_cancel) {  // Python: "Task is cancelled right before coro stops."
      must_cancel = false;
      mark_cancelled();
      return;
    }
    if constexpr (std::is_void_v<T>)
      value = std::monostate{};
    else
      value = T(std::forward<V>(v)...);
    finish();
  }

 protected:
  void schedule_callbacks() override {
    auto self = std::static_pointer_cast<FutureState>(shared_from_this());
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

// The task whose step the calling thread is running, or nullptr: set when a step begins
// (its first, and each resumption from an await of this layer), cleared when it suspends
// and by the loop after every callback it runs.
StateBase* running_task();
void set_running_task(StateBase* task);

// The one way a coroutine of this layer suspends: until `waker` is cancelled (or expires).
// Meanwhile the running task's cancel() calls `cancel_it`; when the task had a cancel()
// pending, `cancel_it` is called at once and `woken` tells whether that already woke it
// (then the coroutine still gives the loop one turn). Throws CancelledError on resuming
// when a cancel() came that nothing could take (Python's _must_cancel at a step).
Coro<void> suspend(std::shared_ptr<asio::steady_timer> waker, const std::function<bool()>& cancel_it,
                   const std::function<bool()>& woken);

// Records task `me` beginning (`begins`) or ending an await on a future.
void trace_await(const std::string& me, bool begins);
// Task-1, Task-2, ... counted per loop thread.
std::string next_task_name();
// The loop's pending tasks, for asyncio.run's shutdown.
std::vector<std::shared_ptr<StateBase>> all_tasks(EventLoop& loop);
// asyncio.run's _cancel_all_tasks: cancels the loop's pending tasks and runs the loop until
// they are done; an exception one of them ends with is reported on stderr.
void cancel_all_tasks(EventLoop& loop);

}  // namespace detail

// asyncio.current_task(): the name of the task whose step the calling thread is running;
// none in a plain callback, outside a loop, or while the task is suspended.
std::optional<std::string> current_task();

template <typename T>
class Task;

template <typename T = void>
class Future {
 public:
  using State = detail::FutureState<T>;

  // asyncio.Future(): a pending future on the current loop.
  Future() : state_(std::make_shared<State>(detail::current_loop())) {}
  explicit Future(EventLoop& loop) : state_(std::make_shared<State>(loop)) {}

  bool done() const { return state_->done; }
  bool cancelled() const { return state_->cancelled; }

  // Marks the future done with a value (none for Future<void>). On a Task: RuntimeError.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void set_result(U value) {
    check_settable("set_result");
    state_->value = std::move(value);
    state_->finish();
  }
  template <typename U = T>
    requires std::is_void_v<U>
  void set_result() {
    check_settable("set_result");
    state_->value = std::monostate{};
    state_->finish();
  }

  // Marks the future done with an exception, which result() and wait() rethrow. On a Task:
  // RuntimeError.
  void set_exception(std::exception_ptr error) {
    check_settable("set_exception");
    state_->error = std::move(error);
    state_->finish();
  }

  // Cancels a pending future: true; false when it was already done. On a Task, asks for
  // its cancellation as described above (true: asked; it is cancelled() once its coroutine
  // ends with CancelledError). On gather's outer future, cancels the children that are not
  // done (true if one was); it ends with CancelledError once they are done.
  bool cancel() { return state_->cancel(); }

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

  // Python's `await future`: suspends the calling coroutine until the future is done. A
  // cancel() of the awaiting task cancels this future (see above).
  Coro<T> wait() const { return wait_on(state_); }

  EventLoop& get_loop() const { return *state_->loop; }
  bool operator==(const Future& o) const { return state_ == o.state_; }

 protected:
  explicit Future(std::shared_ptr<State> st) : state_(std::move(st)) {}
  std::shared_ptr<State> state_;

 private:
  template <typename U>
  friend class Future;
  template <typename U>
  friend Task<U> spawn_task(EventLoop& loop, Coro<U> coro);
  template <typename U>
  friend Future<std::vector<typename detail::Stored<U>::type>> gather_future(std::vector<Future<U>> children);

  void check_settable(const char* operation) const {
    if (state_->is_task()) throw RuntimeError(std::string("Task does not support ") + operation + " operation");
    if (state_->done) throw InvalidStateError("invalid state");
  }

  static Coro<T> wait_on(std::shared_ptr<State> st) {
    detail::StateBase* me = detail::running_task();
    if (me == st.get()) throw RuntimeError("Task cannot await on itself: " + st->repr());
    if (me != nullptr && me->loop != st->loop)
      throw RuntimeError("Task " + me->repr() + " got Future " + st->repr() + " attached to a different loop");
    std::string name = me ? me->task_name : "";  // the awaiting task, for the trace
    bool waited = !st->done;
    if (waited) detail::trace_await(name, true);
    while (!st->done) {
      auto waker = std::make_shared<asio::steady_timer>(st->loop->context(), asio::steady_timer::time_point::max());
      st->waiters.push_back(waker);
      std::weak_ptr<State> weak = st;
      // Named, not temporaries of the co_await: GCC 12 destroys such temporaries twice.
      std::function<bool()> cancel_it = [weak] { return weak.lock() && weak.lock()->cancel(); };
      std::function<bool()> woken = [st] { return st->done; };
      co_await detail::suspend(waker, cancel_it, woken);
    }
    if (waited) detail::trace_await(name, false);
    co_return Future<T>(st).result();
  }
};

// A Future driven by a coroutine; named `Task-N` as asyncio names tasks.
template <typename T = void>
class Task : public Future<T> {
 public:
  const std::string& get_name() const { return this->state_->task_name; }

 private:
  template <typename U>
  friend Task<U> spawn_task(EventLoop& loop, Coro<U> coro);
  Task(EventLoop& loop, std::string name) : Future<T>(loop) { this->state_->task_name = std::move(name); }
};

namespace detail {
// Records the start or end of the task `name` for the trace, and makes it the running one.
struct TaskTrace {
  explicit TaskTrace(std::shared_ptr<StateBase> task);
  ~TaskTrace();
  TaskTrace(const TaskTrace&) = delete;
  TaskTrace& operator=(const TaskTrace&) = delete;
  std::shared_ptr<StateBase> task;
};
// The task's coroutine as the loop runs it: its start and end recorded around its body.
template <typename T>
Coro<T> as_task(Coro<T> body, std::shared_ptr<StateBase> task) {
  TaskTrace traced(std::move(task));
  if constexpr (std::is_void_v<T>)
    co_await std::move(body);
  else
    co_return co_await std::move(body);
}
// Registers a new task with its loop (loop.cpp), for asyncio.run's shutdown.
void register_task(EventLoop& loop, const std::shared_ptr<StateBase>& task);
}  // namespace detail

// Makes a task on `loop` whose first step is scheduled there with call_soon; a task
// cancelled before that step ends cancelled without running its coroutine.
template <typename T>
Task<T> spawn_task(EventLoop& loop, Coro<T> coro) {
  Task<T> task(loop, detail::next_task_name());
  auto st = task.state_;
  detail::register_task(loop, st);
  auto body = std::make_shared<Coro<T>>(detail::as_task(std::move(coro), st));
  loop.call_soon([st, body, &loop]() mutable {
    if (st->done) return;
    if (st->must_cancel) {  // cancelled before its first step: the coroutine never runs
      st->must_cancel = false;
      st->mark_cancelled();
      return;
    }
    asio::co_spawn(loop.context(), std::move(*body),
                   [st](std::exception_ptr e, auto... value) { st->complete(std::move(e), std::move(value)...); });
  });
  return task;
}

// asyncio.create_task(coro) / ensure_future(coro): schedules the coroutine on the current
// loop and returns its Task at once.
template <typename T>
Task<T> create_task(Coro<T> coro) {
  return spawn_task(detail::current_loop(), std::move(coro));
}
template <typename T>
Task<T> ensure_future(Coro<T> coro) {
  return create_task(std::move(coro));
}

// asyncio.gather(*futures) as the future it is in Python: done with the children's results
// in argument order once all are done; with the first exception as soon as a child
// raises; with CancelledError as soon as a child is cancelled (return_exceptions=False,
// FutureGatherTests.test_one_cancellation). cancel() cancels the children that are not done
// (see Future::cancel). The children must share one loop (else ValueError, as Python's).
template <typename T>
Future<std::vector<typename detail::Stored<T>::type>> gather_future(std::vector<Future<T>> children) {
  using Results = std::vector<typename detail::Stored<T>::type>;
  EventLoop& loop = children.empty() ? detail::current_loop() : children.front().get_loop();
  for (const auto& c : children)
    if (&c.get_loop() != &loop) throw ValueError("futures are tied to different event loops");
  Future<Results> outer(loop);
  // The outer future owns the children (to cancel them); their callbacks only look at it
  // and at them, so a child that never finishes keeps nothing alive.
  auto kids = std::make_shared<std::vector<Future<T>>>(std::move(children));
  std::weak_ptr<typename Future<Results>::State> weak_outer = outer.state_;
  outer.state_->cancel_children = [kids, weak_outer] {
    bool any = false;
    for (auto& c : *kids) any = c.cancel() || any;
    if (auto o = weak_outer.lock(); any && o) o->cancel_requested = true;
    return any;
  };
  if (kids->empty()) outer.set_result(Results{});
  auto finished = std::make_shared<std::size_t>(0);
  std::weak_ptr<std::vector<Future<T>>> weak_kids = kids;
  for (auto& child : *kids)
    child.add_done_callback([weak_kids, weak_outer, finished](Future<T> f) {
      ++*finished;
      auto o = weak_outer.lock();
      auto all = weak_kids.lock();
      if (!o || !all || o->done) return;
      Future<Results> out(o);
      if (f.cancelled()) return out.set_exception(std::make_exception_ptr(CancelledError()));
      if (f.exception()) return out.set_exception(f.exception());
      if (*finished < all->size()) return;
      if (o->cancel_requested) return out.set_exception(std::make_exception_ptr(CancelledError()));
      Results results;
      for (const auto& c : *all) {
        if constexpr (std::is_void_v<T>)
          results.emplace_back();
        else
          results.push_back(c.result());
      }
      out.set_result(std::move(results));
    });
  return outer;
}
template <typename T>
Future<std::vector<typename detail::Stored<T>::type>> gather_future(std::vector<Task<T>> tasks) {
  return gather_future(std::vector<Future<T>>(tasks.begin(), tasks.end()));
}

// asyncio.gather(*coros): runs them concurrently; their results in argument order. A
// cancel() of the awaiting task cancels the gather and so every child still running.
template <typename T>
  requires(!std::is_void_v<T>)
Coro<std::vector<T>> gather(std::vector<Coro<T>> coros) {
  std::vector<Future<T>> tasks;
  for (auto& c : coros) tasks.push_back(create_task(std::move(c)));
  auto outer = gather_future(std::move(tasks));  // named: see wait_on
  co_return co_await outer.wait();
}
inline Coro<void> gather(std::vector<Coro<void>> coros) {
  std::vector<Future<void>> tasks;
  for (auto& c : coros) tasks.push_back(create_task(std::move(c)));
  auto outer = gather_future(std::move(tasks));
  co_await outer.wait();
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
  auto outer = gather_future(std::move(tasks));
  co_return co_await outer.wait();
}
template <typename T, typename... More>
  requires(std::is_same_v<Task<T>, More> && ...)
auto gather(Task<T> first, More... more) {
  return gather(std::vector<Task<T>>{std::move(first), std::move(more)...});
}

// loop.run_until_complete(future): ValueError for a future of another loop; RuntimeError
// when stop() ended the loop first (see loop.h).
template <typename T>
T EventLoop::run_until_complete(const Future<T>& future) {
  if (&future.get_loop() != this)
    throw ValueError("The future belongs to a different loop than the one specified as the loop argument");
  run_until([&] { return future.done(); });
  if (!future.done()) throw RuntimeError("Event loop stopped before Future completed.");
  return future.result();
}
template <typename T>
Task<T> EventLoop::create_task(Coro<T> coro) {
  return spawn_task(*this, std::move(coro));
}
template <typename T>
T EventLoop::run_until_complete(Coro<T> coro) {
  return run_until_complete(Future<T>(spawn_task(*this, std::move(coro))));
}

// asyncio.run(main): a new loop runs main to its end; then, as asyncio.run does, the tasks
// still pending are cancelled and the loop runs until they are done (their coroutines see
// CancelledError at their awaits and may clean up), and the loop is closed; main's result.
// Throws RuntimeError when called from a running loop.
template <typename T>
T run(Coro<T> main) {
  try {
    get_running_loop();
  } catch (const RuntimeError&) {
    std::unique_ptr<EventLoop> loop = new_event_loop();
    struct Close {
      EventLoop& l;
      ~Close() {
        try {
          l.close();
        } catch (...) {  // on an error's way out: that error is the one to report
        }
      }
    } close{*loop};
    try {
      if constexpr (std::is_void_v<T>) {
        loop->run_until_complete(std::move(main));
        detail::cancel_all_tasks(*loop);
        return;
      } else {
        T result = loop->run_until_complete(std::move(main));
        detail::cancel_all_tasks(*loop);
        return result;
      }
    } catch (const ThreadExit&) {
      throw;  // a stopped run: nothing more runs
    } catch (...) {
      // The pending tasks are cancelled on the way out too, unless that fails as well (no
      // descriptor left for the loop): the first error is the one to report.
      try {
        detail::cancel_all_tasks(*loop);
      } catch (...) {
      }
      throw;
    }
  }
  throw RuntimeError("asyncio.run() cannot be called from a running event loop");
}

}  // namespace concur::aio
