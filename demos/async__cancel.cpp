// The async demo's `cancel`: the cancellation asyncio's documentation teaches (issue 18).
//
// First its Task.cancel example: main makes a task of cancel_me(), which prints, then
// awaits a one-hour sleep; a second later main calls task.cancel(). The CancelledError is
// thrown into cancel_me() at its await, where its `except CancelledError:` prints and
// re-raises and its `finally:` cleans up; only then is the task cancelled, and main's own
// `await task` raises CancelledError. Then gather's rule: "if gather() is cancelled, all
// submitted awaitables (that have not completed yet) are also cancelled". Workers A (1 s),
// B (5 s) and C (10 s) are gathered; at 2 s main cancels the gather: A is done, B and C are
// cancelled at their sleeps, and main's `await group` raises CancelledError. Every line is
// printed by the coroutine it names, on the one loop thread; the check reads the
// transcript: the order, the times, the tasks' cancelled() and the thread.
#include <fmt/format.h>

#include "core/aio/future.h"
#include "core/concur.h"
#include "demos/async.h"

namespace concur::demos {
namespace {

// For the check: what main saw of each task when its await raised.
struct Seen {
  bool task_cancelled = false;
  std::vector<bool> workers_cancelled;
  bool group_cancel_returned = false;
};

// The Task.cancel example of asyncio's documentation ("Coroutines and Tasks")
aio::Coro<void> cancel_me() {
  say("cancel_me(): before sleep");
  try {
    // Wait for 1 hour
    co_await aio::sleep(3600);
  } catch (const CancelledError&) {
    say("cancel_me(): cancel sleep");
    say("cancel_me(): after sleep");  // the `finally:` clause, on this path
    throw;
  }
  say("cancel_me(): after sleep");  // the `finally:` clause, had the sleep ended
}

aio::Coro<void> cancel_main(Seen& seen) {
  // Create a "cancel_me" Task
  aio::Task<void> task = aio::create_task(cancel_me());

  // Wait for 1 second
  co_await aio::sleep(1);

  task.cancel();
  try {
    co_await task.wait();
  } catch (const CancelledError&) {
    say("main(): cancel_me is cancelled now");
  }
  seen.task_cancelled = task.cancelled();
  say(fmt::format("main(): task.cancelled() is {}", seen.task_cancelled ? "True" : "False"));
}

// gather's cancellation: the outer future cancels the children not yet done
aio::Coro<void> worker(std::string name, double delay) {
  try {
    co_await aio::sleep(delay);
    say(fmt::format("worker {}: done after {} s", name, delay));
  } catch (const CancelledError&) {
    say(fmt::format("worker {}: cancelled while sleeping", name));
    throw;
  }
}

aio::Coro<void> gather_main(Seen& seen) {
  std::vector<aio::Task<void>> workers = {aio::create_task(worker("A", 1)), aio::create_task(worker("B", 5)),
                                          aio::create_task(worker("C", 10))};
  auto group = aio::gather_future(workers);  // group = asyncio.gather(a, b, c)
  co_await aio::sleep(2);

  seen.group_cancel_returned = group.cancel();
  try {
    co_await group.wait();
  } catch (const CancelledError&) {
    say("main(): the gather is cancelled");
  }
  for (const auto& w : workers) seen.workers_cancelled.push_back(w.cancelled());
  say(fmt::format("main(): cancelled() of A, B, C: {}, {}, {}", seen.workers_cancelled[0] ? "True" : "False",
                  seen.workers_cancelled[1] ? "True" : "False", seen.workers_cancelled[2] ? "True" : "False"));
}

Check check_cancel(const Transcript& transcript, const Seen& seen, double start, double middle);

}  // namespace

Check run_async_cancel(const Context&) {
  Transcript transcript;
  Seen seen;
  // asyncio.run(main()), once for each example
  double start = time::perf_counter();
  aio::run(cancel_main(seen));
  double middle = time::perf_counter();
  aio::run(gather_main(seen));
  return check_cancel(transcript, seen, start, middle);
}

namespace {

// cancel_me's except and finally ran at the cancel (1 s), before main's except; the task
// ended cancelled; the gather cancelled B and C at 2 s (A had finished), on one thread.
Check check_cancel(const Transcript& transcript, const Seen& seen, double start, double middle) {
  std::vector<std::string> order;
  for (const Said& s : transcript.lines()) order.push_back(s.line);
  const std::vector<std::string> expected = {
      "cancel_me(): before sleep",      "cancel_me(): cancel sleep",           "cancel_me(): after sleep",
      "main(): cancel_me is cancelled now", "main(): task.cancelled() is True", "worker A: done after 1 s",
      "worker B: cancelled while sleeping", "worker C: cancelled while sleeping", "main(): the gather is cancelled",
      "main(): cancelled() of A, B, C: False, True, True"};
  bool in_order = order == expected;
  double cancelled_at = transcript.said_at("cancel_me(): cancel sleep") - start;
  double group_at = transcript.said_at("worker B: cancelled while sleeping") - middle;
  bool workers = seen.workers_cancelled == std::vector<bool>{false, true, true} && seen.group_cancel_returned;
  int elsewhere = transcript.said_elsewhere(get_ident());
  return {in_order && seen.task_cancelled && workers && about(cancelled_at, 1) && about(group_at, 2) &&
              elsewhere == 0,
          fmt::format("cancel_me {} CancelledError at its sleep after {:.2f} s (of 3600), cleaned up and re-raised; "
                      "task.cancelled() {}; group.cancel() at {:.2f} s cancelled {} (A had finished); lines {}; {}",
                      in_order ? "caught" : "did NOT catch (in order)", cancelled_at,
                      seen.task_cancelled ? "True" : "False", group_at,
                      workers ? "B and C" : "NOT just B and C", in_order ? "in order" : "NOT in order",
                      on_one_thread(transcript, elsewhere))};
}

}  // namespace

}  // namespace concur::demos
