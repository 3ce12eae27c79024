// eventloop, part 2: `run-forever`. A tick that reschedules itself every second would keep
// run_forever() going for ever; a callback at 3.5 s calls loop.stop(), and run_forever()
// returns once that turn of the loop is done.
//
// The check: the ticks came at least a second apart, and run_forever() returned once the
// turn of the loop that called stop() was done.
#include <algorithm>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What the callbacks saw, for the check: the run's own (everything runs on one thread).
struct TicksSeen {
  std::vector<std::string> steps;  // "tick" and "stop", in the order they ran
  std::vector<double> tick_at;     // when each tick ran
};

Check check_run_forever(const TicksSeen& seen, double returned_at);

void tick(aio::EventLoop& loop, double start, int n, TicksSeen& seen) {
  seen.tick_at.push_back(loop.time() - start);
  print("tick {} at {:.1f} s", n, seen.tick_at.back());
  seen.steps.push_back("tick");
  // Schedule the next tick: with nothing else, the loop would run for ever
  loop.call_later(1, [&loop, start, n, &seen] { tick(loop, start, n + 1, seen); });
}

void stop_loop(aio::EventLoop& loop, double start, TicksSeen& seen) {
  print("loop.stop() at {:.1f} s", loop.time() - start);
  seen.steps.push_back("stop");
  loop.stop();
}

}  // namespace

Check run_eventloop_run_forever(const Context&) {
  // A tick that keeps itself scheduled, and a callback that stops the loop at 3.5 s
  TicksSeen seen;
  aio::EventLoop& loop = aio::get_event_loop();
  double start = loop.time();
  loop.call_soon([&loop, start, &seen] { tick(loop, start, 1, seen); });
  loop.call_later(3.5, [&loop, start, &seen] { stop_loop(loop, start, seen); });
  loop.run_forever();
  double returned_at = loop.time() - start;
  print("run_forever() returned at {:.1f} s", returned_at);
  loop.close();  // the next tick, still scheduled, is dropped
  return check_run_forever(seen, returned_at);
}

namespace {

// How many ticks fit before 3.5 s depends on how late each ran; a tick that fell due in the
// same turn of the loop as the stop may still run after it (see the explanation).
Check check_run_forever(const TicksSeen& seen, double returned_at) {
  const std::vector<std::string>& steps = seen.steps;
  const std::vector<double>& tick_at = seen.tick_at;
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

}  // namespace

}  // namespace concur::demos
