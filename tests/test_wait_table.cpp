// The run's wait table across processes (src/core/wait_table.h) and the seam's waits on the
// kernel: a run in which every thread of every process waits for ever is reported and
// unwound, in one process or across several; a timed wait never is; a run that does not
// ask for the table (unit tests) never reports. Through the real binary: the documentation's
// join-before-get deadlock ends with its check (exit 0), its fix completes, and a pool whose
// worker cannot start (a process limit) ends at once with Python's error.
#include <unistd.h>

#include <sstream>
#include <string>

#include "binary_fixture.h"
#include "core_fixture.h"

using concur::Event;
using concur::RunOptions;
using concur::Thread;
using namespace concur::testing;
using ::testing::HasSubstr;
using ::testing::Not;
namespace deadlock = concur::deadlock;

namespace {

// A run that keeps the wait table, as the CLI's demo runs do.
class WaitTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunOptions options;
    options.time_scale = 0.001;
    options.seed = 1;
    options.watch_stuck = true;
    concur::begin_run(options, out_, err_);
  }
  void TearDown() override { concur::end_run(); }
  std::string out() const { return out_.str(); }

  std::ostringstream out_, err_;
};

}  // namespace

TEST_F(WaitTableTest, AThreadWaitingForAnEventNobodySetsIsReportedAndUnwoundSoItsJoinReturns) {
  Event never("the starting gun");
  bool went_on = false;
  Thread waiter({.target = [&] {
                   never.wait();  // nobody will set it: with main joining, nothing is awake
                   went_on = true;
                 },
                 .name = "runner"});
  double took = real_seconds([&] {
    waiter.start();
    waiter.join();
  });
  EXPECT_LT(took, 5.0);  // reported about kConfirm (0.25 s) after both parked; never a hang
  EXPECT_FALSE(went_on);
  EXPECT_TRUE(deadlock::reported());
  EXPECT_THAT(out(), HasSubstr("Deadlock detected: every thread of every process waits"));
  EXPECT_THAT(out(), HasSubstr("  MainThread waits for runner to finish\n"));
  EXPECT_THAT(out(), HasSubstr("  runner waits for the starting gun to be set, which no running thread will change\n"));
}

TEST_F(WaitTableTest, AWaitWithATimeoutIsNeverReported) {
  Event never("the starting gun");
  bool timed_out = false;
  Thread waiter({.target = [&] { timed_out = !never.wait(200); }, .name = "patient"});  // 0.2 s real
  waiter.start();
  waiter.join();
  EXPECT_TRUE(timed_out);
  EXPECT_FALSE(deadlock::reported());
  EXPECT_THAT(out(), Not(HasSubstr("Deadlock detected")));
}

TEST_F(WaitTableTest, AThreadWokenInTimeIsNeverReported) {
  // Main waits for ever while the other thread sleeps, then sets: a sleeping thread is
  // awake (a timed wait), so the run never looks stuck.
  Event ready("ready");
  Thread setter({.target = [&] {
                   concur::time::sleep(300);  // 0.3 s real: past kConfirm
                   ready.set();
                 },
                 .name = "setter"});
  setter.start();
  EXPECT_TRUE(ready.wait());
  setter.join();
  EXPECT_FALSE(deadlock::reported());
}

TEST(WaitTableBinaryTest, JoiningAChildBeforeGettingItsBigItemIsReportedAcrossProcessesAndExits0) {
  Child child({"demo", "mpqueue", "--variant", "join-before-get", "--fast", "--color", "never"});
  auto start = Clock::now();
  EXPECT_EQ(run_binary(child, 60), 0) << child.err();
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_THAT(child.out(), HasSubstr("Deadlock detected: every thread of every process waits"));
  EXPECT_THAT(child.out(), HasSubstr("  MainThread waits for Process-1 to finish\n"));
  EXPECT_THAT(child.out(), HasSubstr("  Process-1/MainThread waits until Queue's pipe has room, which no running "
                                     "thread will change\n"));
  EXPECT_THAT(child.out(), HasSubstr("Main: Process-1 ended with exit code 1\n"));
  EXPECT_THAT(child.out(), HasSubstr("check: ok"));
}

TEST(WaitTableBinaryTest, GettingTheBigItemBeforeJoiningCompletesWithoutAReport) {
  Child child({"demo", "mpqueue", "--variant", "get-before-join", "--fast", "--color", "never"});
  EXPECT_EQ(run_binary(child, 60), 0) << child.err();
  EXPECT_THAT(child.out(), HasSubstr("Main: got 1000000 bytes\n"));
  EXPECT_THAT(child.out(), HasSubstr("Main: Process-1 ended with exit code 0\n"));
  EXPECT_THAT(child.out(), Not(HasSubstr("Deadlock detected")));
}

TEST(WaitTableBinaryTest, APoolWhoseWorkerCannotStartEndsAtOnceWithExit1AndPythonsError) {
  // As an ordinary user under a process limit (root is not limited): the fork of a worker
  // fails with EAGAIN. It used to print the error and hang.
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run the binary as another user with setpriv";
  if (::access("/usr/bin/setpriv", X_OK) != 0 || ::access("/usr/bin/prlimit", X_OK) != 0)
    GTEST_SKIP() << "setpriv and prlimit (util-linux) are not installed";
  Child child({"--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/prlimit", "--nproc=6", CONCUR_BINARY,
               "demo", "pool", "--executor", "process", "--fast", "--color", "never"},
              {.program = "/usr/bin/setpriv"});
  auto start = Clock::now();
  int code = run_binary(child, 60);
  if (child.err().find("Permission denied") != std::string::npos)
    GTEST_SKIP() << "the build directory is not readable by an ordinary user: " << child.err();
  EXPECT_EQ(code, 1) << child.err();
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_THAT(child.err(), HasSubstr("concur: pool: OSError: [Errno 11] Resource temporarily unavailable\n"));
}
