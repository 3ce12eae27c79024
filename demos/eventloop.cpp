// eventloop: asyncio's event loop driven through its own API, one callback at a time.
//
// 004 "Python Module – Asyncio", one variant per example in the lecture's order; the
// default `all` runs the six one after another, each on a fresh loop (get_event_loop()
// after the previous loop was closed):
//   call-soon    (the lecture's "hello world") loop.call_soon(hello_world, loop); the loop
//                runs forever until hello_world prints "Hello World" and calls loop.stop().
//   call-later   (the lecture lists call_later and time() but shows no code; this example
//                is in its spirit) callbacks scheduled 3, 1 and 2 s ahead run in the order
//                of their delays, each printing loop.time() - start; a fourth stops the loop.
//   run-forever  a tick that reschedules itself every second would keep run_forever()
//                going for ever; a callback at 3.5 s calls loop.stop() and it returns
//                (eventloop__forever.cpp).
//   future, coroutine, tasks: "Futures", "Coroutines" and "Tasks", in eventloop__tasks.cpp.
// Everything runs on the thread that runs the loop; each callback runs to its end before
// the next one starts.
//
// Each example gets the thread's event loop with aio::get_event_loop(), as the lecture does,
// and closes it at the end, so the next one (in `all`) starts on a fresh loop.
//
// The checks: hello_world ran on a later turn of the loop, after call_soon had returned;
// the timed callbacks ran in the order of their delays and none before its time; the
// ticks came at least a second apart, and run_forever() returned once the turn of the
// loop that called stop() was done.
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What the callbacks saw, for the checks: each run's own (everything runs on one thread).
struct HelloSeen {
  bool call_soon_returned = false;
  int calls = 0;
  bool after_call_soon = false;
};
struct CallbacksSeen {
  std::vector<int> order;       // the callbacks, in the order they ran
  std::vector<double> late_by;  // how long after its delay each one ran
};
Check check_call_soon(const HelloSeen& seen, const aio::EventLoop& loop);
Check check_call_later(const CallbacksSeen& seen);

void hello_world(aio::EventLoop& loop, HelloSeen& seen) {
  seen.after_call_soon = seen.call_soon_returned;
  ++seen.calls;
  print("Hello World");
  loop.stop();
}

void print_time(aio::EventLoop& loop, double start, int n, CallbacksSeen& seen) {
  double elapsed = loop.time() - start;
  print("callback {}: loop.time() - start = {:.1f}", n, elapsed);
  seen.order.push_back(n);
  seen.late_by.push_back(elapsed - n);
}

}  // namespace

Check run_eventloop_call_soon(const Context&) {
  // Schedule hello_world, then run the loop until hello_world stops it
  HelloSeen seen;
  aio::EventLoop& loop = aio::get_event_loop();
  loop.call_soon([&loop, &seen] { hello_world(loop, seen); });
  seen.call_soon_returned = true;
  loop.run_forever();
  loop.close();
  return check_call_soon(seen, loop);
}

Check run_eventloop_call_later(const Context&) {
  // Three callbacks, scheduled out of order, and one that stops the loop after them
  CallbacksSeen seen;
  aio::EventLoop& loop = aio::get_event_loop();
  double start = loop.time();
  loop.call_later(3, [&loop, start, &seen] { print_time(loop, start, 3, seen); });
  loop.call_later(1, [&loop, start, &seen] { print_time(loop, start, 1, seen); });
  loop.call_later(2, [&loop, start, &seen] { print_time(loop, start, 2, seen); });
  loop.call_later(3.5, [&loop] { loop.stop(); });
  loop.run_forever();
  loop.close();
  return check_call_later(seen);
}

// all: the six examples in the lecture's order, each on a fresh loop.
Check run_eventloop_all(const Context& ctx) {
  const char* names[] = {"call-soon", "call-later", "run-forever", "future", "coroutine", "tasks"};
  RunFn examples[] = {run_eventloop_call_soon, run_eventloop_call_later, run_eventloop_run_forever,
                      run_eventloop_future,    run_eventloop_coroutine,  run_eventloop_tasks};
  for (int i = 0; i < 6; ++i) {
    Check c = examples[i](ctx);
    if (!c.held) return {false, fmt::format("{}: {}", names[i], c.message)};
  }
  return {true, "all six examples held: call-soon, call-later, run-forever, future, coroutine, tasks"};
}

namespace {

Check check_call_soon(const HelloSeen& seen, const aio::EventLoop& loop) {
  bool held = seen.calls == 1 && seen.after_call_soon && loop.is_closed();
  return {held, fmt::format("hello_world ran {} time(s), {} call_soon() had returned; its stop() ended run_forever() "
                            "and the loop was closed",
                            seen.calls, seen.after_call_soon ? "after" : "BEFORE")};
}

Check check_call_later(const CallbacksSeen& seen) {
  bool in_order = seen.order == std::vector<int>{1, 2, 3};
  bool none_early = true;
  for (double late : seen.late_by) none_early = none_early && late > -0.01;
  return {in_order && none_early,
          fmt::format("the callbacks ran in the order of their delays ({}), not the order they were scheduled "
                      "(3, 1, 2); {} ran before its delay had passed",
                      fmt::join(seen.order, ", "), none_early ? "none" : "one")};
}

}  // namespace

}  // namespace concur::demos
