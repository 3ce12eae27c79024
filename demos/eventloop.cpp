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
//                going for ever; a callback at 3.5 s calls loop.stop() and it returns.
//   future, coroutine, tasks: "Futures", "Coroutines" and "Tasks", in eventloop__tasks.cpp.
// Everything runs on the thread that runs the loop; each callback runs to its end before
// the next one starts.
//
// The checks: hello_world ran on a later turn of the loop, after call_soon had returned;
// the timed callbacks ran in the order of their delays and none before its time; the
// ticks came at least a second apart, and run_forever() returned once the turn of the
// loop that called stop() was done.
#include "demos/eventloop.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/concur.h"

namespace concur::demos {
namespace eventloop_demo {
namespace {

// What the callbacks saw, read by the checks (everything runs on one thread).
bool call_soon_returned = false;
int hello_calls = 0;
bool hello_after_call_soon = false;
std::vector<int> order;          // call-later: the callbacks, in the order they ran
std::vector<double> late_by;     // call-later: how long after its delay each one ran
std::vector<std::string> steps;  // run-forever: "tick" and "stop", in the order they ran
std::vector<double> tick_at;     // run-forever: when each tick ran

void hello_world(aio::EventLoop& loop) {
  hello_after_call_soon = call_soon_returned;
  ++hello_calls;
  print("Hello World");
  loop.stop();
}

void print_time(aio::EventLoop& loop, double start, int n) {
  double elapsed = loop.time() - start;
  print("callback {}: loop.time() - start = {:.1f}", n, elapsed);
  order.push_back(n);
  late_by.push_back(elapsed - n);
}

void tick(aio::EventLoop& loop, double start, int n) {
  tick_at.push_back(loop.time() - start);
  print("tick {} at {:.1f} s", n, tick_at.back());
  steps.push_back("tick");
  // Schedule the next tick: with nothing else, the loop would run for ever
  loop.call_later(1, [&loop, start, n] { tick(loop, start, n + 1); });
}

void stop_loop(aio::EventLoop& loop, double start) {
  print("loop.stop() at {:.1f} s", loop.time() - start);
  steps.push_back("stop");
  loop.stop();
}

}  // namespace

Check call_soon_variant() {
  call_soon_returned = false;
  hello_calls = 0;
  // Schedule hello_world, then run the loop until hello_world stops it
  aio::EventLoop& loop = aio::get_event_loop();
  loop.call_soon([&loop] { hello_world(loop); });
  call_soon_returned = true;
  loop.run_forever();
  loop.close();

  bool held = hello_calls == 1 && hello_after_call_soon && loop.is_closed();
  return {held, fmt::format("hello_world ran {} time(s), {} call_soon() had returned; its stop() ended run_forever() "
                            "and the loop was closed",
                            hello_calls, hello_after_call_soon ? "after" : "BEFORE")};
}

Check call_later_variant() {
  order.clear();
  late_by.clear();
  // Three callbacks, scheduled out of order, and one that stops the loop after them
  aio::EventLoop& loop = aio::get_event_loop();
  double start = loop.time();
  loop.call_later(3, [&loop, start] { print_time(loop, start, 3); });
  loop.call_later(1, [&loop, start] { print_time(loop, start, 1); });
  loop.call_later(2, [&loop, start] { print_time(loop, start, 2); });
  loop.call_later(3.5, [&loop] { loop.stop(); });
  loop.run_forever();
  loop.close();

  bool in_order = order == std::vector<int>{1, 2, 3};
  bool none_early = true;
  for (double late : late_by) none_early = none_early && late > -0.01;
  return {in_order && none_early,
          fmt::format("the callbacks ran in the order of their delays ({}), not the order they were scheduled "
                      "(3, 1, 2); {} ran before its delay had passed",
                      fmt::join(order, ", "), none_early ? "none" : "one")};
}

Check run_forever_variant() {
  steps.clear();
  tick_at.clear();
  // A tick that keeps itself scheduled, and a callback that stops the loop at 3.5 s
  aio::EventLoop& loop = aio::get_event_loop();
  double start = loop.time();
  loop.call_soon([&loop, start] { tick(loop, start, 1); });
  loop.call_later(3.5, [&loop, start] { stop_loop(loop, start); });
  loop.run_forever();
  double returned_at = loop.time() - start;
  print("run_forever() returned at {:.1f} s", returned_at);
  loop.close();  // the next tick, still scheduled, is dropped

  // How many ticks fit before 3.5 s depends on how late each ran; a tick that fell due in
  // the same turn of the loop as the stop may still run after it (see the explanation)
  std::size_t stop_at = std::find(steps.begin(), steps.end(), "stop") - steps.begin();
  std::size_t after_stop = stop_at < steps.size() ? steps.size() - stop_at - 1 : 0;
  bool a_second_apart = !tick_at.empty();
  for (std::size_t i = 1; i < tick_at.size(); ++i)
    a_second_apart = a_second_apart && tick_at[i] - tick_at[i - 1] > 0.99;
  bool held = stop_at < steps.size() && after_stop <= 1 && a_second_apart && returned_at >= 3.5 - 0.01;
  return {held, fmt::format("{} ticks, {} a second apart, then loop.stop() at 3.5 s: run_forever() returned at "
                            "{:.1f} s, once the loop's turn was done (ticks after stop(): {})",
                            tick_at.size(), a_second_apart ? "at least" : "NOT", returned_at, after_stop)};
}

}  // namespace eventloop_demo

Check run_eventloop(const Context& ctx) {
  using namespace eventloop_demo;
  if (ctx.variant == "call-soon") return call_soon_variant();
  if (ctx.variant == "call-later") return call_later_variant();
  if (ctx.variant == "run-forever") return run_forever_variant();
  if (ctx.variant == "future") return future_variant();
  if (ctx.variant == "coroutine") return coroutine_variant();
  if (ctx.variant == "tasks") return tasks_variant();

  // all: the six examples in the lecture's order, each on a fresh loop
  const char* names[] = {"call-soon", "call-later", "run-forever", "future", "coroutine", "tasks"};
  Check (*examples[])() = {call_soon_variant, call_later_variant, run_forever_variant,
                           future_variant,    coroutine_variant,  tasks_variant};
  for (int i = 0; i < 6; ++i) {
    Check c = examples[i]();
    if (!c.held) return {false, fmt::format("{}: {}", names[i], c.message)};
  }
  return {true, "all six examples held: call-soon, call-later, run-forever, future, coroutine, tasks"};
}

}  // namespace concur::demos
