// ProcessPoolExecutor: worker names, Future states as Python has them (pending, running,
// finished only once the result is back), map order, as_completed, errors re-raised,
// shutdown (wait, cancel_futures), a broken pool, and every worker reaped.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "core_fixture.h"
#include "process_probes.h"
#include "core/process/executor.h"

namespace concur::process {
namespace {

using namespace concur::testing;

// The executor's own failing function (the shared ones: process_probes.h).
Value fail_runtime(const List& args) { throw RuntimeError(str(args.at(0))); }

class ProcessExecutorTest : public concur::testing::CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    register_function("test.fail", fail_runtime);
  }
};


TEST_F(ProcessExecutorTest, WorkersAreForkProcessesForkedAtTheFirstSubmit) {
  ProcessPoolExecutor executor(3);
  EXPECT_TRUE(executor.processes().empty());
  Process other;  // Process-1: the workers come after it on the counter
  EXPECT_EQ(executor.submit("test.square", {3}).result().as_int(), 9);
  ASSERT_EQ(executor.processes().size(), 3u);
  EXPECT_EQ(executor.processes()[0]->name(), "ForkProcess-2");
  EXPECT_EQ(executor.processes()[2]->name(), "ForkProcess-4");
  EXPECT_FALSE(executor.processes()[0]->daemon());
}

TEST_F(ProcessExecutorTest, AFutureIsPendingThenRunningThenDoneOnlyWithItsResultBack) {
  ProcessPoolExecutor executor(1);  // the call queue holds 2 jobs
  Future<Value> first = executor.submit("test.sleep_then", {1e6, 1});
  Future<Value> second = executor.submit("test.sleep_then", {1e6, 2});
  Future<Value> third = executor.submit("test.sleep_then", {0.0, 3});
  ASSERT_TRUE(concur::testing::eventually([&] { return first.running() && second.running(); }));
  EXPECT_FALSE(first.done());
  EXPECT_FALSE(third.running());  // no place in the call queue: still pending
  EXPECT_TRUE(third.cancel());
  EXPECT_TRUE(third.cancelled());
  EXPECT_FALSE(first.cancel());  // running futures cannot be cancelled
  EXPECT_EQ(concur::testing::py_error([&] { first.result(1); }), "TimeoutError");
  executor.shutdown(false);
  for (const auto& w : executor.processes()) w->terminate();  // end the 1e6-second sleeps
  EXPECT_EQ(concur::testing::py_error([&] { first.result(); }).substr(0, 17), "BrokenProcessPool");
}

TEST_F(ProcessExecutorTest, DoneTurnsTrueWhenTheResultArrives) {
  ProcessPoolExecutor executor(2);
  Future<Value> f = executor.submit("test.sleep_then", {20.0, "Completed"});
  EXPECT_FALSE(f.done());
  EXPECT_EQ(f.result().as_str(), "Completed");
  EXPECT_TRUE(f.done());
  EXPECT_FALSE(f.running());
}

TEST_F(ProcessExecutorTest, MapYieldsTheResultsInInputOrder) {
  ProcessPoolExecutor executor(3);
  std::vector<long long> got;
  for (const Value& v : executor.map("test.square", List{2, 3, 4, 5})) got.push_back(v.as_int());
  EXPECT_EQ(got, (std::vector<long long>{4, 9, 16, 25}));
}

TEST_F(ProcessExecutorTest, AsCompletedHandsFuturesBackInFinishingOrder) {
  ProcessPoolExecutor executor(3);
  std::vector<Future<Value>> fs = {executor.submit("test.sleep_then", {300.0, 0}),
                                   executor.submit("test.sleep_then", {20.0, 1}),
                                   executor.submit("test.sleep_then", {150.0, 2})};
  std::vector<long long> order;
  for (const Future<Value>& f : as_completed(fs)) order.push_back(f.result().as_int());
  EXPECT_EQ(order, (std::vector<long long>{1, 2, 0}));
}

TEST_F(ProcessExecutorTest, AWorkersErrorIsRaisedByResultWithItsTypeAndMessage) {
  ProcessPoolExecutor executor(1);
  Future<Value> f = executor.submit("test.fail", {"no luck"});
  EXPECT_THROW(f.result(), RuntimeError);
  EXPECT_EQ(concur::testing::py_error([&] { f.result(); }), "RuntimeError: no luck");
  EXPECT_NE(f.exception(), nullptr);
  EXPECT_EQ(executor.submit("test.square", {4}).result().as_int(), 16);  // the worker lives on
}

TEST_F(ProcessExecutorTest, ShutdownWaitsReapsEveryWorkerAndRefusesNewCalls) {
  std::vector<int> pids;
  ProcessPoolExecutor executor(2);
  Future<Value> f = executor.submit("test.sleep_then", {10.0, 7});
  for (const auto& w : executor.processes()) pids.push_back(*w->pid());
  executor.shutdown();
  EXPECT_TRUE(f.done());
  EXPECT_EQ(f.result().as_int(), 7);
  for (const auto& w : executor.processes()) EXPECT_EQ(w->exitcode(), 0);
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_EQ(concur::testing::py_error([&] { executor.submit("test.square", {1}); }),
            "RuntimeError: cannot schedule new futures after shutdown");
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessExecutorTest, ShutdownWithCancelFuturesCancelsThePendingOnes) {
  ProcessPoolExecutor executor(1);
  std::vector<Future<Value>> fs;
  for (int i = 0; i < 5; ++i) fs.push_back(executor.submit("test.sleep_then", {5.0, i}));
  executor.shutdown(true, true);
  int cancelled = 0, finished = 0;
  for (const auto& f : fs) {
    cancelled += f.cancelled();
    finished += f.done() && !f.cancelled();
  }
  EXPECT_EQ(cancelled + finished, 5);
  EXPECT_GE(cancelled, 2);  // at most 2 were in the call queue
  EXPECT_TRUE(no_zombie());
}

// ProcessPoolShutdownTest.test_cancel_futures: the calls already on the call queue (up to
// max_workers + 1) run, the rest are cancelled. Right after the submits the task handler
// may not have moved a single call yet; it still fills the call queue before it cancels,
// so the first three always run (a shutdown that cancelled every call: 14 runs in 80).
TEST_F(ProcessExecutorTest, CancelFuturesKeepsTheCallsOnTheCallQueueAndCancelsTheRest) {
  ProcessPoolExecutor executor(2);
  std::vector<Future<Value>> fs;
  for (int i = 0; i < 50; ++i) fs.push_back(executor.submit("test.sleep_then", {20.0, i}));
  executor.shutdown(true, true);
  int cancelled = 0;
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE(i);
    if (fs[i].cancelled()) {
      ++cancelled;
      continue;
    }
    ASSERT_TRUE(fs[i].done());
    EXPECT_EQ(fs[i].result(0).as_int(), i);
  }
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(fs[i].cancelled()) << i;  // max_workers + 1
  EXPECT_GT(cancelled, 20);
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessExecutorTest, AKilledWorkerBreaksThePoolAndEveryWorkerIsReaped) {
  std::vector<int> pids;
  {
    ProcessPoolExecutor executor(2);
    Future<Value> f = executor.submit("test.sleep_then", {1e6, 0});
    for (const auto& w : executor.processes()) pids.push_back(*w->pid());
    ::kill(pids[0], SIGKILL);
    EXPECT_EQ(concur::testing::py_error([&] { f.result(); }).substr(0, 17), "BrokenProcessPool");
    EXPECT_THROW(executor.submit("test.square", {1}), BrokenProcessPool);
  }
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessExecutorTest, AStoppedRunEndsTheWaitAndReapsTheWorkers) {
  std::vector<int> pids;
  std::thread stopper;
  {
    ProcessPoolExecutor executor(2);
    Future<Value> f = executor.submit("test.sleep_then", {1e6, 0});
    for (const auto& w : executor.processes()) pids.push_back(*w->pid());
    stopper = std::thread([] { runtime().cancel(concur::StopReason::kTimeout); });
    EXPECT_THROW(f.result(), ThreadExit);
  }
  stopper.join();
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_TRUE(no_zombie());
}

}  // namespace
}  // namespace concur::process
