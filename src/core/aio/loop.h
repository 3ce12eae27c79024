// asyncio's event loop, on Asio: one thread runs callbacks and coroutines in turn.
//
//   aio::Coro<void> main_() { ... co_await aio::sleep(1); ... }   // async def main(): ...
//   aio::run(main_());                                            // asyncio.run(main())
//
//   EventLoop& loop = aio::get_event_loop();                       // loop = asyncio.get_event_loop()
//   loop.call_soon([&] { hello_world(loop); });                    // loop.call_soon(hello_world, loop)
//   loop.run_forever();                                            // loop.run_forever()
//
// The loop is an asio::io_context driven by the thread that calls run_forever() or
// run_until_complete(): everything it runs runs on that thread, one piece at a time, which
// is the point of asyncio. A coroutine (`Coro<T>`, Python's `async def`) is an
// asio::awaitable<T>; it gives the thread back at each co_await of a sleep, a future or a
// socket operation. Sleeps and call_later delays are lecture seconds, converted to real
// time by the run's scheduler (seam.h), so --time-scale and --fast apply to them as to
// every other sleep.
//
// Order, as in asyncio: call_soon callbacks and newly created tasks run first-in,
// first-out on the loop's next turns, never inside the call that schedules them; a task's
// first step is scheduled, not run, by create_task (see future.h).
//
// A stopped run (watchdog, Ctrl-C) wakes the loop at once (io_stop.h): it then throws
// ThreadExit, like any other wait.
//
// In a deterministic run (the scheduler's clock is virtual) the loop keeps its own timers,
// as asyncio does: when no callback is ready, it sleeps on the lecture clock until the
// earliest timer is due (the virtual clock jumps there at once) and schedules the due
// callbacks in the order of their due times, ties in the order they were made.
//
// As asyncio's loop (CPython's test_base_events and test_events): an exception escaping a
// call_soon/call_later callback is reported on stderr as the default exception handler
// logs it ("Exception in callback NAME()", "handle: <Handle NAME()>", the exception) and
// the loop goes on; a negative call_later delay is due that long ago, so such callbacks run
// in the order of their due times, not of the calls; stop() inside run_until_complete()
// makes it raise RuntimeError("Event loop stopped before Future completed."). Loops may be
// destroyed in any order, before or after the futures, tasks and timer handles made on
// them: nothing of a loop's io_context outlives it.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "core/seam.h"

namespace concur::aio {

// A coroutine returning T: Python's `async def`. co_await it from another coroutine, or
// hand it to create_task(), gather() or run().
template <typename T = void>
using Coro = asio::awaitable<T>;

template <typename T>
class Future;
template <typename T>
class Task;

namespace detail {
struct StateBase;
}  // namespace detail

// What call_later returns: cancel() before the delay passes and the callback never runs.
// It does not own the loop's timer (the pending callback does), so a handle may outlive
// its loop; cancel() then does nothing.
class TimerHandle {
 public:
  explicit TimerHandle(const std::shared_ptr<asio::steady_timer>& timer) : timer_(timer) {}
  TimerHandle() = default;  // a timer of the loop's own (deterministic runs)
  void cancel();
  bool cancelled() const { return *cancelled_; }

 private:
  friend class EventLoop;
  std::weak_ptr<asio::steady_timer> timer_;
  std::shared_ptr<bool> cancelled_ = std::make_shared<bool>(false);
};

class EventLoop {
 public:
  EventLoop() = default;
  // Drops what is still scheduled before the io_context goes, so no callback or timer of
  // this loop is destroyed after it.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // loop.call_soon(callback): runs fn on a later turn of the loop, after the callbacks
  // already scheduled. Safe from any thread (call_soon_threadsafe is the same call). An
  // exception escaping fn is reported (above) under `name`, as Python names the callback.
  void call_soon(std::function<void()> fn, std::string name = "<lambda>");
  void call_soon_threadsafe(std::function<void()> fn, std::string name = "<lambda>") {
    call_soon(std::move(fn), std::move(name));
  }

  // loop.call_later(delay, callback): runs fn once `delay` lecture seconds have passed
  // (a negative delay: due that long ago). Exceptions as call_soon's.
  TimerHandle call_later(double delay, std::function<void()> fn, std::string name = "<lambda>");

  // loop.call_exception_handler(context) with the default handler: `message`, then the
  // context line ("handle: <Handle f()>", "task: <Task ...>") and the exception, on stderr.
  void call_exception_handler(const std::string& message, const std::string& context, const std::string& exception);

  // loop.time(): the loop's clock, in lecture seconds (monotonic).
  double time() const;

  // loop.run_forever(): runs callbacks and tasks until stop() is called. Throws
  // RuntimeError("This event loop is already running") when called from inside the loop.
  void run_forever();

  // loop.stop(): run_forever() (or run_until_complete()) returns once the callbacks
  // scheduled before stop() ran.
  void stop();

  // loop.run_until_complete(future): runs the loop until the future is done and gives
  // its result (or rethrows). With a coroutine, wraps it in a Task first, as asyncio does.
  // Throws ValueError("The future belongs to a different loop than the one specified as
  // the loop argument") for another loop's future, and RuntimeError("Event loop stopped
  // before Future completed.") when stop() ends the loop first. Defined in future.h.
  template <typename T>
  T run_until_complete(const Future<T>& future);
  template <typename T>
  T run_until_complete(Coro<T> coro);

  // loop.create_task(coro): a Task of this loop, its first step scheduled (future.h).
  template <typename T>
  Task<T> create_task(Coro<T> coro);

  // Runs the loop until done() holds (the engine of the calls above); then, with
  // then_run_scheduled, on until the callbacks scheduled by then have run, as asyncio stops
  // a loop from a callback. A stop() ends it as well.
  void run_until(const std::function<bool()>& done, bool then_run_scheduled = true);

  // loop.close(): drops whatever is still scheduled (pending coroutines are destroyed when
  // the loop is; asyncio.run cancels them first, see future.h). Throws
  // RuntimeError("Cannot close a running event loop") while running.
  void close();
  bool is_running() const { return running_; }
  bool is_closed() const { return closed_; }

  // Deterministic runs: suspends the calling coroutine, which runs on this loop, until `fd`
  // is ready for `events` (poll(2)'s POLLIN, POLLOUT) and returns true, or until `deadline`
  // (on the virtual clock) passes and returns false. When no callback is ready, the loop
  // waits for its sockets and its next timer together, through the scheduler
  // (Scheduler::wait_fds, so other threads take their turns meanwhile), as asyncio's
  // selector waits with the next timer's timeout; ready sockets resume in the order their
  // waits began. (Real runs wait in Asio's own socket operations instead.) Like a socket
  // read of Asio's, the wait is not reached by a task's cancel(). `what` names what it waits
  // for ("socket for http://www.cnn.com/") in --step prompts, traces and stuck reports, when
  // it is the loop's only wait on a socket.
  Coro<bool> wait_fd(int fd, short events, Deadline deadline, std::string what = "");

  // The io_context, for Asio operations (timers, sockets) that belong to this loop.
  asio::io_context& context() { return ctx_; }

  // The tasks made on this loop that are not done yet (for asyncio.run); future.h keeps
  // the list.
  std::vector<std::weak_ptr<detail::StateBase>>& tasks() { return tasks_; }

 private:
  void check_open() const;
  // fn as the loop runs it: an exception escaping it is reported under `name`.
  std::function<void()> guarded(std::function<void()> fn, std::string name);
  // Deterministic runs: posts the callbacks due by now; else sleeps until the next is due.
  // Returns false when there is no timer at all.
  bool run_virtual_timers();
  // Posts the callbacks of the loop's own timers that are due by now, in due order.
  void post_due_timers();
  // Deterministic runs, nothing ready: waits until a wait_fd socket is ready, one's deadline
  // or the next timer is due, and resumes the sockets that are ready or past their deadline.
  void wait_virtual_fds();

  // A call_later of a deterministic run, or one already due: due on the lecture clock;
  // `order` breaks ties.
  struct Timer {
    double due;
    std::uint64_t order;
    std::function<void()> fn;
    std::shared_ptr<bool> cancelled;
    bool operator>(const Timer& other) const { return due != other.due ? due > other.due : order > other.order; }
  };
  bool running_ = false;
  bool closed_ = false;
  bool stop_requested_ = false;
  // ctx_ before what follows (callbacks, tasks), which is destroyed before it; the flags
  // above outlive it (a coroutine frame destroyed with it asks is_closed()).
  asio::io_context ctx_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timers_made_ = 0;
  // wait_fd's coroutines, in the order their waits began: each resumes when its waker
  // (a timer that never expires by itself) is cancelled.
  struct FdWait {
    int fd;
    short events;
    Deadline deadline;
    std::string what;
    std::shared_ptr<asio::steady_timer> waker;
    bool ready = false;
  };
  std::vector<std::shared_ptr<FdWait>> fd_waits_;
  WaitSite fd_site_{SiteKind::kPipe, "the event loop's sockets"};
  std::vector<std::weak_ptr<detail::StateBase>> tasks_;
};

// asyncio.get_event_loop(): the calling thread's loop, made on first use (a fresh one
// once the previous one was closed). asyncio.new_event_loop() makes one the caller owns.
EventLoop& get_event_loop();
std::unique_ptr<EventLoop> new_event_loop();

// The loop running the calling coroutine or callback; throws RuntimeError("no running
// event loop") outside one.
EventLoop& get_running_loop();

// asyncio.sleep(delay): suspends the calling coroutine for `delay` lecture seconds; other
// tasks run meanwhile. sleep(0) (or a negative delay) just lets them take a turn.
// sleep(nan) raises ValueError("Invalid delay: NaN (not a number)"). A cancel() of the
// sleeping task cancels the sleep's timer and throws CancelledError here (future.h).
Coro<void> sleep(double delay);

namespace detail {
// What asyncio keeps per thread, kept with the thread's ThreadState (in a virtual run the
// demo threads are fibers sharing one OS thread: a thread_local would be shared too).
struct PerThread {
  std::unique_ptr<EventLoop> loop;    // get_event_loop()'s, made in run `loop_run`
  std::uint64_t loop_run = 0;
  EventLoop* running_loop = nullptr;  // whose run_forever/run_until_complete is on this stack
  StateBase* running_task = nullptr;  // the task whose step this thread runs (future.h)
  int task_counter = 0;               // next_task_name()'s count, in run `task_run`
  std::uint64_t task_run = 0;
};
// The calling thread's, made on first use.
PerThread& per_thread();
}  // namespace detail

}  // namespace concur::aio
