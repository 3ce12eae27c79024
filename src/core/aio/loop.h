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
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

namespace concur::aio {

// A coroutine returning T: Python's `async def`. co_await it from another coroutine, or
// hand it to create_task(), gather() or run().
template <typename T = void>
using Coro = asio::awaitable<T>;

template <typename T>
class Future;

// What call_later returns: cancel() before the delay passes and the callback never runs.
class TimerHandle {
 public:
  explicit TimerHandle(std::shared_ptr<asio::steady_timer> timer) : timer_(std::move(timer)) {}
  TimerHandle() = default;  // a timer of the loop's own (deterministic runs)
  void cancel();
  bool cancelled() const { return *cancelled_; }

 private:
  friend class EventLoop;
  std::shared_ptr<asio::steady_timer> timer_;
  std::shared_ptr<bool> cancelled_ = std::make_shared<bool>(false);
};

class EventLoop {
 public:
  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // loop.call_soon(callback): runs fn on a later turn of the loop, after the callbacks
  // already scheduled. Safe from any thread (call_soon_threadsafe is the same call).
  void call_soon(std::function<void()> fn);
  void call_soon_threadsafe(std::function<void()> fn) { call_soon(std::move(fn)); }

  // loop.call_later(delay, callback): runs fn once `delay` lecture seconds have passed.
  TimerHandle call_later(double delay, std::function<void()> fn);

  // loop.time(): the loop's clock, in lecture seconds (monotonic).
  double time() const;

  // loop.run_forever(): runs callbacks and tasks until stop() is called. Throws
  // RuntimeError("This event loop is already running") when called from inside the loop.
  void run_forever();

  // loop.stop(): run_forever() returns once the callbacks scheduled before stop() ran.
  void stop();

  // loop.run_until_complete(future): runs the loop until the future is done and gives
  // its result (or rethrows). With a coroutine, wraps it in a Task first, as asyncio does.
  // Defined in future.h.
  template <typename T>
  T run_until_complete(const Future<T>& future);
  template <typename T>
  T run_until_complete(Coro<T> coro);

  // Runs the loop until done() holds (the engine of the calls above); then, with
  // then_run_scheduled, on until the callbacks scheduled by then have run, as asyncio stops
  // a loop from a callback.
  void run_until(const std::function<bool()>& done, bool then_run_scheduled = true);

  // loop.close(): drops whatever is still scheduled (pending coroutines are destroyed).
  // Throws RuntimeError("Cannot close a running event loop") while running.
  void close();
  bool is_running() const { return running_; }
  bool is_closed() const { return closed_; }

  // The io_context, for Asio operations (timers, sockets) that belong to this loop.
  asio::io_context& context() { return ctx_; }

 private:
  void check_open() const;
  // Deterministic runs: posts the callbacks due by now; else sleeps until the next is due.
  // Returns false when there is no timer at all.
  bool run_virtual_timers();

  // A call_later of a deterministic run: due on the lecture clock; `order` breaks ties.
  struct Timer {
    double due;
    std::uint64_t order;
    std::function<void()> fn;
    std::shared_ptr<bool> cancelled;
    bool operator>(const Timer& other) const { return due != other.due ? due > other.due : order > other.order; }
  };
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timers_made_ = 0;

  asio::io_context ctx_;
  bool running_ = false;
  bool closed_ = false;
  bool stop_requested_ = false;
};

// asyncio.get_event_loop(): the calling thread's loop, made on first use (a fresh one
// once the previous one was closed). asyncio.new_event_loop() makes one the caller owns.
EventLoop& get_event_loop();
std::unique_ptr<EventLoop> new_event_loop();

// The loop running the calling coroutine or callback; throws RuntimeError("no running
// event loop") outside one.
EventLoop& get_running_loop();

// asyncio.sleep(delay): suspends the calling coroutine for `delay` lecture seconds; other
// tasks run meanwhile. sleep(0) just lets them take a turn.
Coro<void> sleep(double delay);

}  // namespace concur::aio
