// asyncio's event loop (src/core/aio/loop.h) held to CPython's own tests
// (Lib/test/test_asyncio/test_base_events.py, test_events.py, test_tasks.py), each test named
// after the one it ports: a raising callback is logged and the loop goes on; stop() inside
// run_until_complete; another loop's future; negative call_later delays; sleep(nan); loops
// destroyed in any order. Each runs on the real scheduler and on the deterministic one.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "aio_fixture.h"

namespace concur::aio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace concur::testing;

using AioLoopTest = AioRunTest;
INSTANTIATE_TEST_SUITE_P(Schedulers, AioLoopTest, ::testing::Values(false, true), scheduler_name);

// test_default_exc_handler_callback: an exception escaping a call_soon or call_later
// callback is logged as the default exception handler does; the loop goes on.
TEST_P(AioLoopTest, AnExceptionInACallbackIsLoggedAndTheLoopGoesOn) {
  auto zero_error = [](Future<bool> fut) {
    fut.set_result(true);
    throw PyError("ZeroDivisionError", "division by zero");
  };
  Future<bool> fut(*loop_);
  loop_->call_soon([&] { zero_error(fut); }, "zero_error");
  fut.add_done_callback([&](Future<bool>) { loop_->stop(); });
  loop_->run_forever();
  EXPECT_THAT(err(), HasSubstr("Exception in callback zero_error()\nhandle: <Handle zero_error()>\n"
                               "ZeroDivisionError: division by zero\n"));

  Future<bool> later(*loop_);
  loop_->call_later(0.01, [&] { zero_error(later); }, "zero_error");
  later.add_done_callback([&](Future<bool>) { loop_->stop(); });
  loop_->run_forever();
  EXPECT_TRUE(later.result());
  std::string log = err();
  std::size_t first = log.find("Exception in callback zero_error()");
  EXPECT_NE(log.find("Exception in callback zero_error()", first + 1), std::string::npos) << log;
}

// test_run_until_complete_stopped: stop() before the future is done ends
// run_until_complete with RuntimeError.
TEST_P(AioLoopTest, StopInsideRunUntilCompleteRaisesRuntimeError) {
  auto cb = [&]() -> Coro<void> {
    loop_->stop();
    co_await sleep(0.1);
  };
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(cb()); }),
            "RuntimeError: Event loop stopped before Future completed.");
}

// test_stop_while_run_in_complete (a stop() from a plain callback), and the loop can run
// again afterwards.
TEST_P(AioLoopTest, StopFromACallbackEndsRunUntilCompleteAndTheLoopRunsAgain) {
  Future<int> fut(*loop_);
  loop_->call_soon([&] { loop_->stop(); });
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(fut); }),
            "RuntimeError: Event loop stopped before Future completed.");
  loop_->call_soon([&] { fut.set_result(7); });
  EXPECT_EQ(loop_->run_until_complete(fut), 7);
}

// test_run_until_complete_loop: a future of another loop.
TEST_P(AioLoopTest, RunUntilCompleteOfAnotherLoopsFutureRaisesValueError) {
  Future<int> task(*loop_);
  std::unique_ptr<EventLoop> other_loop = new_event_loop();
  EXPECT_EQ(py_error([&] { other_loop->run_until_complete(task); }),
            "ValueError: The future belongs to a different loop than the one specified as the loop argument");
  other_loop->close();
}

// test_call_later_negative_delays: due in the past, in the order of their due times.
// Python's -1 and -2 are real seconds; at the fixture's scale they are -1000 and -2000
// lecture seconds (a slow machine's microseconds between the calls cannot reorder them).
TEST_P(AioLoopTest, NegativeCallLaterDelaysRunInTimeOrder) {
  std::vector<std::string> calls;
  loop_->call_later(-1000, [&] { calls.push_back("a"); });
  loop_->call_later(-2000, [&] { calls.push_back("b"); });
  run_briefly();
  EXPECT_THAT(calls, ElementsAre("b", "a"));
}

// asyncio.sleep(nan): ValueError (Lib/asyncio/tasks.py), never a timer that spins.
TEST_P(AioLoopTest, SleepNanRaisesValueError) {
  auto nap = []() -> Coro<void> { co_await sleep(std::numeric_limits<double>::quiet_NaN()); };
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(nap()); }), "ValueError: Invalid delay: NaN (not a number)");
}

// A sleep(0) and a negative one just give the others a turn.
TEST_P(AioLoopTest, SleepZeroOrNegativeLetsTheOtherTasksTakeATurn) {
  std::vector<std::string> seen;
  auto one = [&](std::string name, double delay) -> Coro<void> {
    seen.push_back(name + " 1");
    co_await sleep(delay);
    seen.push_back(name + " 2");
  };
  auto main_ = [&]() -> Coro<void> { co_await gather(one("a", 0), one("b", -1)); };
  loop_->run_until_complete(main_());
  EXPECT_THAT(seen, ElementsAre("a 1", "b 1", "a 2", "b 2"));
}

// Loops destroyed in either order, each with a pending call_later, a task suspended in a
// sleep and one awaiting a future, while the handles and futures outlive them: nothing of a
// loop's io_context is touched after it is gone (ASan/TSan would say; the issue saw a
// segfault in shuffled runs).
TEST_P(AioLoopTest, LoopsDestroyedInAnyOrderLeaveNoTimerBehind) {
  for (bool first_made_first : {true, false}) {
    std::vector<TimerHandle> handles;
    std::vector<Future<int>> futures;
    std::vector<Task<void>> tasks;
    std::vector<std::unique_ptr<EventLoop>> loops;
    for (int i = 0; i < 2; ++i) {
      loops.push_back(new_event_loop());
      EventLoop& loop = *loops.back();
      handles.push_back(loop.call_later(1000, [] {}));
      futures.emplace_back(loop);
      Future<int> fut = futures.back();
      auto sleeper = []() -> Coro<void> { co_await sleep(1000); };
      auto awaiter = [](Future<int> f) -> Coro<void> { co_await f.wait(); };
      tasks.push_back(loop.create_task(sleeper()));
      tasks.push_back(loop.create_task(awaiter(fut)));
      auto once = []() -> Coro<void> { co_return; };
      loop.run_until_complete(once());  // both tasks now suspended
    }
    if (first_made_first) {
      loops[0].reset();
      loops[1].reset();
    } else {
      loops[1].reset();
      loops[0].reset();
    }
    for (auto& h : handles) h.cancel();  // their timers went with their loops
    for (const auto& t : tasks) EXPECT_FALSE(t.done());
  }
}

// The thread's own loop (get_event_loop) of an earlier run is replaced by a fresh one
// while it still has a pending timer and a suspended task.
TEST_P(AioLoopTest, TheThreadsLoopIsReplacedSafelyInANewRun) {
  EventLoop& first = get_event_loop();
  TimerHandle pending = first.call_later(1000, [] {});
  auto sleeper = []() -> Coro<void> { co_await sleep(1000); };
  Task<void> asleep = first.create_task(sleeper());
  auto once = []() -> Coro<void> { co_return; };
  first.run_until_complete(once());
  // A new run: get_event_loop() makes a new loop, destroying the first.
  end_run();
  RunOptions options;
  options.time_scale = 0.001;
  options.deterministic = GetParam();
  begin_run(options, out_, err_);
  EventLoop& second = get_event_loop();
  EXPECT_NE(&first, &second);
  pending.cancel();
  EXPECT_FALSE(asleep.done());
  second.run_until_complete(once());
}

}  // namespace
}  // namespace concur::aio
