// eventloop, part 3: 004 "Futures", "Coroutines" and "Tasks", each on a fresh loop.
//
//   future     Myoperation(future) awaits asyncio.sleep(2) and sets the future's result;
//              run_until_complete(future) returns once it is set: "Future Completed".
//   coroutine  run_until_complete(Myoperation()) wraps the coroutine in a task and runs it:
//              "First Coroutine". (The lecture's second form, @asyncio.coroutine on a
//              generator, left Python in 3.11; `async def` is the one form here.)
//   tasks      Generator_task() makes ten tasks of Task_ex(n) with ensure_future, prints
//              "Tasks Completed" and returns; the tasks run after it, in the order they were
//              made. Task_ex calls the BLOCKING time.sleep(1), as the lecture's does, so the
//              loop's one thread does nothing else meanwhile: "Processing 0".."Processing 9"
//              one a second, ten lecture seconds in all, not one. The lecture's
//              `asyncio.sleep(2)` has no await, so it makes a coroutine and drops it: it
//              waits for nothing (Python warns "coroutine 'sleep' was never awaited").
//
// The checks: the future was set after its 2 s and gave its result; the coroutine ran
// inside run_until_complete; the ten tasks ran after "Tasks Completed", in order, each a
// lecture second after the previous.
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What the tasks did, for the checks: the run's own (everything runs on one thread).
struct TasksSeen {
  double completed_at = -1;          // when "Tasks Completed" was printed
  std::vector<int> processed;        // the n of each "Processing n", in order
  std::vector<double> processed_at;  // and when it was printed
};

Check check_future(const aio::Future<std::string>& future, double waited);
Check check_tasks(const TasksSeen& seen);

aio::Coro<void> Myoperation(aio::Future<std::string> future) {
  co_await aio::sleep(2);
  future.set_result("Future Completed");
}

aio::Coro<void> Myoperation(bool& ran_in_loop) {
  ran_in_loop = aio::get_running_loop().is_running();  // for the check
  print("First Coroutine");
  co_return;
}

aio::Coro<void> Task_ex(int n, TasksSeen& seen) {
  time::sleep(1);  // time.sleep, not asyncio.sleep: blocks the loop's thread for a second
  print("Processing {}", n);
  seen.processed.push_back(n);
  seen.processed_at.push_back(time::perf_counter());
  co_return;
}

aio::Coro<void> Generator_task(TasksSeen& seen) {
  for (int i = 0; i < 10; ++i) aio::ensure_future(Task_ex(i, seen));
  print("Tasks Completed");
  seen.completed_at = time::perf_counter();
  (void)aio::sleep(2);  // as in the lecture: not awaited, so it does nothing
  co_return;
}

}  // namespace

Check run_eventloop_future(const Context&) {
  // A pending future, and a task that will set it
  aio::EventLoop& loop = aio::get_event_loop();
  aio::Future<std::string> future;
  aio::ensure_future(Myoperation(future));
  // Run the loop until the future is done, then read its result
  double start = loop.time();
  loop.run_until_complete(future);
  double waited = loop.time() - start;
  print("{}", future.result());
  loop.close();
  return check_future(future, waited);
}

Check run_eventloop_coroutine(const Context&) {
  // run_until_complete wraps the coroutine in a task and runs the loop until it is done
  bool ran_in_loop = false;
  aio::EventLoop& loop = aio::get_event_loop();
  loop.run_until_complete(Myoperation(ran_in_loop));
  loop.close();
  return {ran_in_loop, fmt::format("Myoperation() {} inside run_until_complete, on the running loop",
                                   ran_in_loop ? "ran" : "did NOT run")};
}

Check run_eventloop_tasks(const Context&) {
  // Generator_task makes the ten tasks; the loop runs them once it has returned
  TasksSeen seen;
  aio::EventLoop& loop = aio::get_event_loop();
  loop.run_until_complete(Generator_task(seen));
  loop.close();
  return check_tasks(seen);
}

namespace {

Check check_future(const aio::Future<std::string>& future, double waited) {
  bool held = future.done() && future.result() == "Future Completed" && waited >= 2 - 0.01;
  return {held, fmt::format("run_until_complete(future) returned after {:.1f} s, once Myoperation had set the "
                            "result '{}' after its asyncio.sleep(2)",
                            waited, future.result())};
}

Check check_tasks(const TasksSeen& seen) {
  const std::vector<double>& processed_at = seen.processed_at;
  bool in_order = seen.processed == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  bool one_by_one = processed_at.size() == 10 && processed_at[0] - seen.completed_at >= 1 - 0.01;
  for (std::size_t i = 1; one_by_one && i < processed_at.size(); ++i)
    one_by_one = processed_at[i] - processed_at[i - 1] >= 1 - 0.01;
  double took = processed_at.empty() ? 0 : processed_at.back() - seen.completed_at;
  return {in_order && one_by_one,
          fmt::format("{} tasks ran after 'Tasks Completed', in order, one after another: {:.1f} lecture s in all, "
                      "not 1 (time.sleep(1) blocks the loop)",
                      seen.processed.size(), took)};
}

}  // namespace

}  // namespace concur::demos
