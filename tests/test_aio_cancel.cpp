// asyncio's cancellation (src/core/aio/future.h), held to CPython's own tests
// (Lib/test/test_asyncio/test_tasks.py, test_futures.py's FutureGatherTests, test_runners.py),
// each test named after the one it ports: Task.cancel reaches the coroutine at its await,
// which may catch CancelledError; what it awaits (a future, a task, a gather) is cancelled
// too; gather's outer future cancels its children; asyncio.run cancels the tasks left over.
// Each runs on the real scheduler and on the deterministic one.
#include <sstream>
#include <string>
#include <vector>

#include "aio_fixture.h"

namespace concur::aio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace concur::testing;

using AioCancelTest = AioRunTest;
INSTANTIATE_TEST_SUITE_P(Schedulers, AioCancelTest, ::testing::Values(false, true), scheduler_name);

// test_cancelling: a task cancelled before its first step never runs its coroutine.
TEST_P(AioCancelTest, ATaskCancelledBeforeItsFirstStepNeverRunsItsCoroutine) {
  bool ran = false;
  auto task = [&]() -> Coro<int> {
    ran = true;
    co_await sleep(10);
    co_return 12;
  };
  Task<int> t = loop_->create_task(task());
  EXPECT_FALSE(t.cancelled());
  EXPECT_TRUE(t.cancel());
  EXPECT_FALSE(t.done());  // asked, not yet done
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(t); }), "CancelledError");
  EXPECT_TRUE(t.cancelled());
  EXPECT_FALSE(ran);
  EXPECT_FALSE(t.cancel());  // done: nothing to cancel
}

// test_cancel_at_end: a task that cancels itself and returns without another await ends
// cancelled, not with its result.
TEST_P(AioCancelTest, ATaskCancelledRightBeforeItReturnsEndsCancelled) {
  std::optional<Task<int>> t;
  auto task = [&]() -> Coro<int> {
    t->cancel();
    co_return 12;
  };
  t = loop_->create_task(task());
  EXPECT_FALSE(t->cancelled());
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(*t); }), "CancelledError");
  EXPECT_TRUE(t->done());
  EXPECT_TRUE(t->cancelled());
  EXPECT_FALSE(t->cancel());
}

// test_cancel_current_task: a task that cancels itself gets CancelledError at its next
// sleep at once; the sleep's timer goes with it (the loop does not wait 100 s for it).
TEST_P(AioCancelTest, ATaskThatCancelsItselfIsCancelledAtItsNextSleepAtOnce) {
  std::optional<Task<int>> t;
  bool after_sleep = false;
  auto task = [&]() -> Coro<int> {
    t->cancel();
    co_await sleep(100);
    after_sleep = true;
    co_return 12;
  };
  t = loop_->create_task(task());
  double start = loop_->time();
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(*t); }), "CancelledError");
  EXPECT_LT(loop_->time() - start, 50);
  EXPECT_TRUE(t->cancelled());
  EXPECT_FALSE(after_sleep);
  run_briefly();  // no leftover timer holds the loop (a deterministic run would jump 100 s)
  EXPECT_LT(loop_->time() - start, 50);
}

// test_cancel_inner_future: a task whose awaited future is cancelled ends cancelled.
TEST_P(AioCancelTest, CancellingTheAwaitedFutureCancelsTheTask) {
  Future<int> f(*loop_);
  auto task = [&]() -> Coro<int> {
    co_await f.wait();
    co_return 12;
  };
  Task<int> t = loop_->create_task(task());
  run_briefly();  // start the task
  f.cancel();
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(t); }), "CancelledError");
  EXPECT_TRUE(f.cancelled());
  EXPECT_TRUE(t.cancelled());
}

// test_task_cancel_waiter_future: cancel() of a suspended task cancels the future it awaits.
TEST_P(AioCancelTest, CancellingATaskCancelsTheFutureItAwaits) {
  Future<void> fut(*loop_);
  auto coro = [&]() -> Coro<void> { co_await fut.wait(); };
  Task<void> task = loop_->create_task(coro());
  run_briefly();
  EXPECT_TRUE(task.cancel());
  EXPECT_TRUE(fut.cancelled());  // at once, as Python's _fut_waiter.cancel()
  run_briefly();
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(task); }), "CancelledError");
  EXPECT_TRUE(task.cancelled());
}

// test_cancel_task_catching: the coroutine catches CancelledError and returns; the task
// ends with that result, not cancelled.
TEST_P(AioCancelTest, ATaskThatCatchesCancelledErrorEndsWithItsResult) {
  Future<void> fut1(*loop_), fut2(*loop_);
  auto task = [&]() -> Coro<int> {
    co_await fut1.wait();
    try {
      co_await fut2.wait();
    } catch (const CancelledError&) {
      co_return 42;
    }
    co_return 0;
  };
  Task<int> t = loop_->create_task(task());
  run_briefly();
  fut1.set_result();
  run_briefly();
  EXPECT_TRUE(t.cancel());
  EXPECT_TRUE(fut2.cancelled());
  EXPECT_EQ(loop_->run_until_complete(t), 42);
  EXPECT_FALSE(t.cancelled());
}

// test_cancel_task_ignoring: the coroutine swallows CancelledError and awaits on.
TEST_P(AioCancelTest, ATaskThatIgnoresCancelledErrorGoesOnAwaiting) {
  Future<void> fut1(*loop_), fut2(*loop_);
  Future<int> fut3(*loop_);
  auto task = [&]() -> Coro<int> {
    co_await fut1.wait();
    try {
      co_await fut2.wait();
    } catch (const CancelledError&) {
    }
    co_return co_await fut3.wait();
  };
  Task<int> t = loop_->create_task(task());
  run_briefly();
  fut1.set_result();
  run_briefly();
  EXPECT_TRUE(t.cancel());
  EXPECT_TRUE(fut2.cancelled());
  run_briefly();
  EXPECT_FALSE(t.done());  // now awaiting fut3
  fut3.set_result(42);
  EXPECT_EQ(loop_->run_until_complete(t), 42);
  EXPECT_FALSE(t.cancelled());
}

// test_cancel_awaited_task: a task that cancels itself while it runs gets CancelledError at
// its next await, and the task it then awaits is cancelled too (bpo-34872).
TEST_P(AioCancelTest, ATaskCancelledWhileRunningCancelsTheTaskItAwaitsNext) {
  Future<void> fut(*loop_);
  std::optional<Task<void>> task, nested_task;
  auto nested = [&]() -> Coro<void> { co_await fut.wait(); };
  auto coro = [&]() -> Coro<void> {
    nested_task = create_task(nested());
    co_await sleep(0);
    task->cancel();  // the current task: it is running, not suspended
    co_await nested_task->wait();
  };
  task = loop_->create_task(coro());
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(*task); }), "CancelledError");
  EXPECT_TRUE(task->cancelled());
  EXPECT_TRUE(nested_task->cancelled());
  EXPECT_TRUE(fut.cancelled());
}

// test_yield_future_passes_cancel: cancelling outer() cancels inner() cancels the waiter;
// inner re-raises, outer catches.
TEST_P(AioCancelTest, CancellationPassesThroughAnAwaitedCoroutine) {
  int proof = 0;
  Future<void> waiter(*loop_);
  auto inner = [&]() -> Coro<void> {
    try {
      co_await waiter.wait();
    } catch (const CancelledError&) {
      proof += 1;
      throw;
    }
    ADD_FAILURE() << "got past the waiter in inner()";
  };
  auto outer = [&]() -> Coro<void> {
    try {
      co_await inner();
      proof += 10;
    } catch (const CancelledError&) {
      proof += 100;  // Expect this path.
    }
  };
  Task<void> f = loop_->create_task(outer());
  run_briefly();
  f.cancel();
  loop_->run_until_complete(f);
  EXPECT_EQ(proof, 101);
  EXPECT_TRUE(waiter.cancelled());
  EXPECT_FALSE(f.cancelled());  // outer swallowed it
}

// test_cancellation_broadcast: cancelling the task awaiting a gather cancels the gather and
// all its children.
TEST_P(AioCancelTest, CancellingATaskAwaitingAGatherCancelsEveryChild) {
  int proof = 0;
  Future<void> waiter(*loop_);
  auto inner = [&]() -> Coro<void> {
    co_await waiter.wait();
    proof += 1;
  };
  Task<void> child1 = loop_->create_task(inner());
  Task<void> child2 = loop_->create_task(inner());
  std::optional<Future<std::vector<std::monostate>>> gatherer;
  auto outer = [&]() -> Coro<void> {
    gatherer = gather_future(std::vector<Task<void>>{child1, child2});
    co_await gatherer->wait();
    proof += 100;
  };
  Task<void> f = loop_->create_task(outer());
  run_briefly();
  EXPECT_TRUE(f.cancel());
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(f); }), "CancelledError");
  EXPECT_FALSE(gatherer->cancel());
  EXPECT_TRUE(waiter.cancelled());
  EXPECT_TRUE(child1.cancelled());
  EXPECT_TRUE(child2.cancelled());
  run_briefly();
  EXPECT_EQ(proof, 0);
}

// The same through `co_await gather(coros...)`, the form the demos use.
TEST_P(AioCancelTest, CancellingATaskAwaitingGatherOfCoroutinesCancelsThem) {
  std::vector<std::string> seen;
  auto worker = [&](std::string name) -> Coro<void> {
    try {
      co_await sleep(100);
      seen.push_back(name + " done");
    } catch (const CancelledError&) {
      seen.push_back(name + " cancelled");
      throw;
    }
  };
  auto main_ = [&]() -> Coro<void> { co_await gather(worker("a"), worker("b")); };
  Task<void> t = loop_->create_task(main_());
  run_briefly();
  t.cancel();
  EXPECT_EQ(py_error([&] { loop_->run_until_complete(t); }), "CancelledError");
  EXPECT_TRUE(t.cancelled());
  EXPECT_THAT(seen, ElementsAre("a cancelled", "b cancelled"));
}

// test_cancel_gather_1: a gathering future refuses to be cancelled once all its children are
// done (Python issue #26923).
TEST_P(AioCancelTest, AGatherWhoseChildrenAreDoneRefusesCancel) {
  Future<int> fut(*loop_);
  auto child_coro = [&]() -> Coro<int> { co_return co_await fut.wait(); };
  std::optional<Future<std::vector<int>>> gather_task;
  auto create = [&]() -> Coro<void> {
    gather_task = gather_future(std::vector<Task<int>>{create_task(child_coro())});
    co_return;
  };
  loop_->run_until_complete(create());
  std::optional<bool> cancel_result;
  fut.add_done_callback([&](Future<int>) { cancel_result = gather_task->cancel(); });
  fut.set_result(42);  // the callback runs once fut is done
  loop_->run_until_complete(*gather_task);
  EXPECT_EQ(cancel_result, false);
  EXPECT_FALSE(gather_task->cancelled());
  EXPECT_THAT(gather_task->result(), ElementsAre(42));
}

// FutureGatherTests.test_one_cancellation: one child cancelled ends the gather with
// CancelledError at once (an exception, not cancelled()), without waiting for the others.
TEST_P(AioCancelTest, GatherWithOneChildCancelledEndsWithCancelledErrorAtOnce) {
  std::vector<Future<int>> children;
  for (int i = 0; i < 5; ++i) children.emplace_back(*loop_);
  Future<std::vector<int>> fut = gather_future(children);
  int called = 0;
  fut.add_done_callback([&](Future<std::vector<int>>) { ++called; });
  children[0].set_result(1);
  children[1].cancel();
  run_briefly();
  EXPECT_TRUE(fut.done());
  EXPECT_EQ(called, 1);
  EXPECT_FALSE(fut.cancelled());
  EXPECT_EQ(py_error([&] { std::rethrow_exception(fut.exception()); }), "CancelledError");
  // Does nothing
  children[2].set_result(3);
  children[3].cancel();
  children[4].set_exception(std::make_exception_ptr(RuntimeError("")));
  run_briefly();
  EXPECT_EQ(called, 1);
}

// The same inside a coroutine: `await gather(...)` raises CancelledError while the other
// child still sleeps.
TEST_P(AioCancelTest, AwaitingAGatherWithACancelledChildRaisesWithoutWaitingForTheRest) {
  auto slow = []() -> Coro<int> {
    co_await sleep(10000);
    co_return 1;
  };
  auto main_ = [&]() -> Coro<double> {
    Task<int> a = create_task(slow());
    Task<int> b = create_task(slow());
    double start = get_running_loop().time();
    get_running_loop().call_later(1, [b]() mutable { b.cancel(); });
    try {
      co_await gather(a, b);
    } catch (const CancelledError&) {
    }
    double took = get_running_loop().time() - start;
    a.cancel();
    co_return took;
  };
  EXPECT_LT(loop_->run_until_complete(main_()), 1000);
}

// test_task_awaits_on_itself.
TEST_P(AioCancelTest, ATaskAwaitingItselfRaisesRuntimeError) {
  std::optional<Task<void>> task;
  auto test = [&]() -> Coro<void> { co_await task->wait(); };
  task = loop_->create_task(test());
  EXPECT_THAT(py_error([&] { loop_->run_until_complete(*task); }),
              ::testing::StartsWith("RuntimeError: Task cannot await on itself: <Task pending name='Task-"));
}

// test_task_set_methods: a Task's result is its coroutine's to set.
TEST_P(AioCancelTest, TaskSetResultAndSetExceptionRaiseRuntimeError) {
  auto notmuch = []() -> Coro<std::string> { co_return "ko"; };
  Task<std::string> task = loop_->create_task(notmuch());
  EXPECT_EQ(py_error([&] { task.set_result("ok"); }), "RuntimeError: Task does not support set_result operation");
  EXPECT_EQ(py_error([&] { task.set_exception(std::make_exception_ptr(ValueError(""))); }),
            "RuntimeError: Task does not support set_exception operation");
  EXPECT_EQ(loop_->run_until_complete(task), "ko");
}

// test_runners' test_asyncio_run_cancels_hanging_tasks: asyncio.run cancels the tasks main
// left behind, and they see CancelledError at their await.
TEST_P(AioCancelTest, RunCancelsTheTasksStillPendingWhenMainEnds) {
  std::optional<Task<void>> lo_task;
  bool saw_cancel = false;
  auto leftover = [&]() -> Coro<void> {
    try {
      co_await sleep(0.1);
    } catch (const CancelledError&) {
      saw_cancel = true;
      throw;
    }
  };
  auto main_ = [&]() -> Coro<int> {
    lo_task = create_task(leftover());
    co_return 123;
  };
  EXPECT_EQ(run(main_()), 123);
  EXPECT_TRUE(lo_task->done());
  EXPECT_TRUE(lo_task->cancelled());
  EXPECT_TRUE(saw_cancel);
}

// test_asyncio_run_reports_hanging_tasks_errors: a leftover task that raises while being
// cancelled is reported.
TEST_P(AioCancelTest, RunReportsALeftoverTaskThatRaisesWhenCancelled) {
  auto leftover = []() -> Coro<void> {
    try {
      co_await sleep(0.1);
    } catch (const CancelledError&) {
      throw ValueError("boom");
    }
  };
  auto main_ = [&]() -> Coro<int> {
    create_task(leftover());
    co_return 123;
  };
  EXPECT_EQ(run(main_()), 123);
  EXPECT_THAT(err(), HasSubstr("unhandled exception during asyncio.run() shutdown\ntask: <Task finished "
                               "name='Task-2'>\nValueError: boom\n"));
}

// test_current_task, test_current_task_with_interleaving_tasks: the running task, and none
// in a plain callback, while a task is suspended, or after the loop.
TEST_P(AioCancelTest, CurrentTaskIsTheRunningTaskAndNoneWhileItIsSuspended) {
  EXPECT_EQ(current_task(), std::nullopt);
  Future<void> fut1(*loop_), fut2(*loop_);
  std::vector<std::string> seen;
  auto note = [&](const std::string& where) { seen.push_back(where + "=" + current_task().value_or("None")); };
  auto coro1 = [&]() -> Coro<void> {
    note("coro1");
    get_running_loop().call_soon([&] { note("callback"); });
    co_await fut1.wait();
    note("coro1");
    fut2.set_result();
  };
  auto coro2 = [&]() -> Coro<void> {
    note("coro2");
    fut1.set_result();
    co_await fut2.wait();
    note("coro2");
  };
  Task<void> task1 = loop_->create_task(coro1());
  Task<void> task2 = loop_->create_task(coro2());
  loop_->run_until_complete(gather_future(std::vector<Task<void>>{task1, task2}));
  EXPECT_EQ(current_task(), std::nullopt);
  std::string one = task1.get_name(), two = task2.get_name();
  EXPECT_THAT(seen, ElementsAre("coro1=" + one, "coro2=" + two, "callback=None", "coro1=" + one, "coro2=" + two));
  // A new loop on this thread sees none either.
  auto probe = []() -> Coro<std::optional<std::string>> { co_return std::nullopt; };
  std::unique_ptr<EventLoop> other = new_event_loop();
  std::optional<std::string> seen_in_callback = "unset";
  other->call_soon([&] { seen_in_callback = current_task(); });
  other->run_until_complete(probe());
  other->close();
  EXPECT_EQ(seen_in_callback, std::nullopt);
}

}  // namespace
}  // namespace concur::aio
