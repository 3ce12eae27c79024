// The asyncio facade (src/core/aio): the loop's order of callbacks and tasks, sleeps on the
// lecture clock, futures, gather, run, and a stopped run.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/aio/future.h"
#include "core_fixture.h"

namespace concur::aio {
namespace {

using ::testing::ElementsAre;
using namespace concur::testing;

class AioTest : public concur::testing::CoreTest {};

double real_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

TEST_F(AioTest, CallSoonRunsCallbacksInTheOrderTheyWereScheduled) {
  EventLoop& loop = get_event_loop();
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) loop.call_soon([&, i] { order.push_back(i); });
  loop.call_soon([&] { loop.stop(); });
  loop.run_forever();
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
}

TEST_F(AioTest, StopLetsTheCallbacksAlreadyScheduledRunFirst) {
  EventLoop& loop = get_event_loop();
  std::vector<std::string> seen;
  loop.call_soon([&] {
    seen.push_back("hello");
    loop.stop();
  });
  loop.call_soon([&] { seen.push_back("after stop"); });
  loop.run_forever();
  EXPECT_THAT(seen, ElementsAre("hello", "after stop"));
}

// Delays count from each call_later, so the test's own calls must come much closer together
// than the delays differ: 10 lecture seconds are 100 ms here (at the suite's 10 ms, a loaded
// machine that paused the test 20 ms between two calls reordered them).
class AioDelayOrderTest : public concur::testing::CoreTest {
 protected:
  AioDelayOrderTest() : CoreTest(0.01) {}
};

TEST_F(AioDelayOrderTest, CallLaterRunsCallbacksInTheOrderOfTheirDelays) {
  EventLoop& loop = get_event_loop();
  std::vector<int> order;
  loop.call_later(30, [&] { order.push_back(3); });
  loop.call_later(10, [&] { order.push_back(1); });
  loop.call_later(20, [&] { order.push_back(2); });
  TimerHandle never = loop.call_later(5, [&] { order.push_back(99); });
  never.cancel();
  loop.call_later(40, [&] { loop.stop(); });
  loop.run_forever();
  EXPECT_THAT(order, ElementsAre(1, 2, 3));
  EXPECT_TRUE(never.cancelled());
}

TEST_F(AioTest, CreateTaskSchedulesTheCoroutineRatherThanRunningIt) {
  std::vector<std::string> seen;
  auto step = [&](std::string what) -> Coro<void> {
    seen.push_back(what);
    co_return;
  };
  auto main_ = [&]() -> Coro<void> {
    Task<void> t = create_task(step("task"));
    seen.push_back("after create_task");
    co_await t.wait();
    seen.push_back("after await");
  };
  run(main_());
  EXPECT_THAT(seen, ElementsAre("after create_task", "task", "after await"));
}

TEST_F(AioTest, SleepWaitsLectureSecondsScaledByTheRunsTimeScale) {
  // 100 lecture seconds at the fixture's scale of 0.001 are 0.1 real seconds.
  double start = real_now();
  run([]() -> Coro<void> { co_await sleep(100); }());
  double took = real_now() - start;
  EXPECT_GE(took, 0.095);
  EXPECT_LT(took, 2.0);
}

TEST_F(AioTest, GatherRunsCoroutinesTogetherAndKeepsArgumentOrder) {
  std::vector<int> finished;
  auto job = [&](int n, double delay) -> Coro<int> {
    co_await sleep(delay);
    finished.push_back(n);
    co_return n * 10;
  };
  double start = real_now();
  std::vector<int> results = run([&]() -> Coro<std::vector<int>> {
    co_return co_await gather(job(1, 100), job(2, 50), job(3, 10));
  }());
  double took = real_now() - start;
  EXPECT_THAT(results, ElementsAre(10, 20, 30));
  EXPECT_THAT(finished, ElementsAre(3, 2, 1));
  // Together: about the longest sleep (0.1 s real), not the sum (0.16 s).
  EXPECT_LT(took, 0.155);
}

TEST_F(AioTest, GatherRaisesTheFirstExceptionWithoutWaitingForTheRest) {
  auto slow = []() -> Coro<int> {
    co_await sleep(10000);
    co_return 1;
  };
  auto failing = []() -> Coro<int> {
    co_await sleep(1);
    throw ValueError("boom");
  };
  double start = real_now();
  EXPECT_EQ(py_error([&] {
              run([&]() -> Coro<void> { co_await gather(slow(), failing()); }());
            }),
            "ValueError: boom");
  EXPECT_LT(real_now() - start, 5.0);
}

TEST_F(AioTest, AFutureSetByACoroutineCompletesRunUntilComplete) {
  EventLoop& loop = get_event_loop();
  Future<std::string> future;
  auto my_operation = [](Future<std::string> f) -> Coro<void> {
    co_await sleep(2);
    f.set_result("Future Completed");
  };
  ensure_future(my_operation(future));
  EXPECT_EQ(loop.run_until_complete(future), "Future Completed");
  loop.close();
}

TEST_F(AioTest, FutureErrorsAreAsyncios) {
  EventLoop& loop = get_event_loop();
  Future<int> f(loop);
  EXPECT_EQ(py_error([&] { f.result(); }), "InvalidStateError: Result is not set.");
  f.set_result(1);
  EXPECT_EQ(py_error([&] { f.set_result(2); }), "InvalidStateError: invalid state");
  Future<int> g(loop);
  EXPECT_TRUE(g.cancel());
  EXPECT_EQ(py_error([&] { g.result(); }), "CancelledError");
}

TEST_F(AioTest, DoneCallbacksRunOnALaterTurnNotInsideSetResult) {
  EventLoop& loop = get_event_loop();
  Future<int> f(loop);
  std::vector<std::string> seen;
  f.add_done_callback([&](Future<int> done) { seen.push_back("callback " + std::to_string(done.result())); });
  loop.call_soon([&] {
    f.set_result(7);
    seen.push_back("after set_result");
  });
  loop.run_until_complete(f);
  loop.call_soon([&] { loop.stop(); });
  loop.run_forever();
  EXPECT_THAT(seen, ElementsAre("after set_result", "callback 7"));
}

TEST_F(AioTest, EverythingRunsOnTheThreadThatRunsTheLoop) {
  std::vector<std::thread::id> ids;
  auto where = [&]() -> Coro<void> {
    ids.push_back(std::this_thread::get_id());
    co_await sleep(1);
    ids.push_back(std::this_thread::get_id());
  };
  run([&]() -> Coro<void> { co_await gather(where(), where(), where()); }());
  ASSERT_EQ(ids.size(), 6u);
  for (auto id : ids) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST_F(AioTest, RunInsideARunningLoopIsARuntimeError) {
  auto inner = []() -> Coro<void> { co_return; };
  EXPECT_EQ(py_error([&] {
              run([&]() -> Coro<void> {
                run(inner());
                co_return;
              }());
            }),
            "RuntimeError: asyncio.run() cannot be called from a running event loop");
}

TEST_F(AioTest, AStoppedRunUnwindsTheLoopWithThreadExit) {
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    runtime().cancel(concur::StopReason::kTimeout);
  });
  bool unwound = false;
  try {
    run([]() -> Coro<void> { co_await sleep(1e6); }());
  } catch (const ThreadExit&) {
    unwound = true;
  }
  stopper.join();
  EXPECT_TRUE(unwound);
}

}  // namespace
}  // namespace concur::aio

namespace concur::aio {
namespace {

Coro<int> after(double delay, int value) {
  co_await sleep(delay);
  co_return value;
}

Coro<std::vector<int>> gather_two_tasks() {
  Task<int> slow = create_task(after(50, 1));
  Task<int> quick = create_task(after(10, 2));
  co_return co_await gather(slow, quick);
}

TEST_F(AioTest, GatherAwaitsRunningTasksAndKeepsArgumentOrder) {
  EXPECT_THAT(run(gather_two_tasks()), ElementsAre(1, 2));
}

}  // namespace
}  // namespace concur::aio
