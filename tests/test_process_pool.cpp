// multiprocessing.Pool: worker names, map order, apply, apply_async with a timeout, a
// worker's error re-raised in the parent, a refused job after close, a dead worker, and
// hygiene (every worker reaped by close+join, terminate, the destructor, a stopped run).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "core_fixture.h"
#include "process_probes.h"
#include "core/process/pool.h"

namespace concur::process {
namespace {

using namespace concur::testing;

// The pool's own failing function (the shared ones: process_probes.h).
Value fail_value(const List& args) { throw ValueError(str(args.at(0))); }

class ProcessPoolTest : public concur::testing::CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    register_function("test.fail", fail_value);
  }
};


std::vector<int> pids_of(const Pool& pool) {
  std::vector<int> pids;
  for (const auto& w : pool.workers()) pids.push_back(*w->pid());
  return pids;
}

TEST_F(ProcessPoolTest, WorkersAreForkPoolWorkersOnTheProcessCounter) {
  Process before;
  Pool pool(3);
  ASSERT_EQ(pool.processes(), 3);
  EXPECT_EQ(pool.workers()[0]->name(), "ForkPoolWorker-2");
  EXPECT_EQ(pool.workers()[2]->name(), "ForkPoolWorker-4");
  EXPECT_TRUE(pool.workers()[0]->daemon());
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) seen.insert(pool.apply("test.name").as_str());
  for (const std::string& n : seen) EXPECT_TRUE(n == "ForkPoolWorker-2" || n == "ForkPoolWorker-3" ||
                                                n == "ForkPoolWorker-4") << n;
}

TEST_F(ProcessPoolTest, MapReturnsTheResultsInInputOrder) {
  Pool pool(4);
  List numbers;
  // emplace_back: GCC 12 at -O2 warns, wrongly, that push_back's moved temporary Value may be
  // read uninitialised (-Wmaybe-uninitialized inside std::variant's move)
  for (int i = 0; i < 40; ++i) numbers.emplace_back(i);
  EXPECT_EQ(repr(pool.map("test.square", List{1, 2, 3, 4, 5})), "[1, 4, 9, 16, 25]");
  List squares = pool.map("test.square", numbers);
  ASSERT_EQ(squares.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(squares[i].as_int(), i * i);
}

TEST_F(ProcessPoolTest, ApplyRunsTheFunctionInAWorkerProcess) {
  Pool pool(2);
  int worker = static_cast<int>(pool.apply("test.pid").as_int());
  EXPECT_NE(worker, ::getpid());
  std::vector<int> pids = pids_of(pool);
  EXPECT_TRUE(worker == pids[0] || worker == pids[1]);
  EXPECT_EQ(pool.apply("test.square", {7}).as_int(), 49);
}

TEST_F(ProcessPoolTest, ApplyAsyncGetRaisesTimeoutErrorWhileTheJobRuns) {
  Pool pool(2);
  AsyncResult slow = pool.apply_async("test.sleep_then", {1e6, "late"});
  AsyncResult quick = pool.apply_async("test.sleep_then", {1.0, "soon"});
  EXPECT_EQ(concur::testing::py_error([&] { slow.get(5); }), "TimeoutError");
  EXPECT_FALSE(slow.ready());
  slow.wait(1);  // returns after its timeout, raising nothing
  EXPECT_THROW(slow.successful(), ValueError);
  EXPECT_EQ(quick.get().as_str(), "soon");
  EXPECT_TRUE(quick.ready() && quick.successful());
}

TEST_F(ProcessPoolTest, AWorkersErrorIsRaisedInTheParentAndTheWorkerLivesOn) {
  Pool pool(1);
  int worker = pids_of(pool)[0];
  AsyncResult r = pool.apply_async("test.fail", {"bad input 3"});
  EXPECT_THROW(r.get(), ValueError);
  EXPECT_EQ(concur::testing::py_error([&] { r.get(); }), "ValueError: bad input 3");
  EXPECT_FALSE(r.successful());
  EXPECT_EQ(pool.apply("test.pid").as_int(), worker);  // the same worker, still there
}

TEST_F(ProcessPoolTest, AnUnknownFunctionFailsInTheParent) {
  Pool pool(1);
  EXPECT_EQ(concur::testing::py_error([&] { pool.apply_async("test.nothing"); }),
            "ValueError: no pool function named 'test.nothing'");
}

TEST_F(ProcessPoolTest, CloseRefusesNewJobsAndJoinNeedsIt) {
  Pool pool(2);
  EXPECT_EQ(concur::testing::py_error([&] { pool.join(); }), "ValueError: Pool is still running");
  AsyncResult queued = pool.apply_async("test.sleep_then", {5.0, 1});
  pool.close();
  EXPECT_EQ(concur::testing::py_error([&] { pool.apply_async("test.square", {2}); }), "ValueError: Pool not running");
  pool.join();  // the queued job finishes first
  EXPECT_TRUE(queued.ready());
  EXPECT_EQ(queued.get().as_int(), 1);
}

TEST_F(ProcessPoolTest, CloseAndJoinReapEveryWorker) {
  std::vector<int> pids;
  {
    Pool pool(3);
    pids = pids_of(pool);
    pool.close();
    pool.join();
    for (const auto& w : pool.workers()) EXPECT_EQ(w->exitcode(), 0);
  }
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessPoolTest, TerminateAndTheDestructorKillAndReapBusyWorkers) {
  std::vector<int> pids;
  {
    Pool pool(2);
    pids = pids_of(pool);
    pool.apply_async("test.sleep_then", {1e6, 0});
    pool.terminate();
    for (const auto& w : pool.workers()) EXPECT_EQ(w->exitcode(), -SIGTERM);
    pool.join();
  }
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  {
    Pool pool(2);  // left as `with` leaves it: terminate()
    pids = pids_of(pool);
    pool.apply_async("test.sleep_then", {1e6, 0});
  }
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessPoolTest, AKilledWorkerFailsItsJobInsteadOfHanging) {
  Pool pool(1);
  AsyncResult r = pool.apply_async("test.sleep_then", {1e6, 0});
  ASSERT_TRUE(concur::testing::eventually([&] { return pool.workers()[0]->is_alive(); }));
  ::kill(*pool.workers()[0]->pid(), SIGKILL);
  EXPECT_EQ(concur::testing::py_error([&] { r.get(); }).substr(0, 17), "BrokenProcessPool");
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessPoolTest, AStoppedRunEndsTheWaitAndReapsTheWorkers) {
  std::vector<int> pids;
  std::thread stopper;
  {
    Pool pool(2);
    pids = pids_of(pool);
    AsyncResult r = pool.apply_async("test.sleep_then", {1e6, 0});
    stopper = std::thread([] { runtime().cancel(concur::StopReason::kTimeout); });
    EXPECT_THROW(r.get(), ThreadExit);
  }
  stopper.join();
  for (int p : pids) EXPECT_TRUE(gone(p)) << p;
  EXPECT_TRUE(no_zombie());
}

}  // namespace
}  // namespace concur::process
