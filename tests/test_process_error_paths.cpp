// Error paths of the process layer, each ported from CPython's own tests:
//   - a worker that crashes after shutdown(wait=True) has begun fails its future with
//     BrokenProcessPool (test_concurrent_futures/test_deadlock.py, test_shutdown_deadlock);
//   - a worker that crashes while a large task is being written into the task pipe gives
//     BrokenProcessPool, and leaving the executor does not hang (test_crash_big_data,
//     gh-94777); terminating a Pool while such a task is being sent does not hang either;
//   - a killed forkserver is replaced by a new one, and its child that was running finishes
//     with its own exit code (_test_multiprocessing.py, check_forkserver_death with SIGKILL
//     and SIGINT); a forkserver child outlives its server but never the program.
// A hang fails the test quickly: a watchdog stops the run after a few seconds.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "core_fixture.h"
#include "process_probes.h"
#include "core/process/executor.h"
#include "core/process/pool.h"

namespace concur::process {
namespace {

using std::chrono::milliseconds;

using namespace concur::testing;

// The functions the tests send to workers (forked: they have this table too), besides
// process_probes.h's.
// CPython's _crash(delay): the worker dies abruptly (here by SIGKILL, which no sanitizer
// intercepts) after `delay` lecture seconds.
Value crash_after(const List& args) {
  time::sleep(args.at(0).as_float());
  ::kill(::getpid(), SIGKILL);
  return None{};
}
// CPython's _crash_with_data(data): the task carried a large argument; the worker dies.
Value crash_with_data(const List&) {
  ::kill(::getpid(), SIGKILL);
  return None{};
}

// A gate the test opens by writing a byte: a worker forked after it was made (they inherit
// it) waits in crash_when_opened until then, so the test decides when the crash comes.
int g_gate[2] = {-1, -1};
Value crash_when_opened(const List&) {
  char c;
  while (::read(g_gate[0], &c, 1) < 0 && errno == EINTR) {
  }
  ::kill(::getpid(), SIGKILL);
  return None{};
}

// More than a pipe holds (CPython's support.PIPE_MAX_SIZE, 4 MiB + 1): writing it blocks
// until a worker reads.
const std::string& big_data() {
  static const std::string data(4 * 1024 * 1024 + 1, 'a');
  return data;
}

// Stops the run (every wait throws ThreadExit) if the scope has not ended within `limit` of
// real time, so that a hang fails the test at once instead of the test binary's timeout.
class Watchdog {
 public:
  explicit Watchdog(milliseconds limit)
      : thread_([this, limit] {
          std::unique_lock lk(mu_);
          if (!cv_.wait_for(lk, limit, [this] { return done_; })) {
            fired_ = true;
            runtime().cancel(concur::StopReason::kTimeout);
          }
        }) {}
  ~Watchdog() { disarm(); }
  // Ends the watch; true if it fired (the scope hung).
  bool disarm() {
    {
      std::lock_guard lk(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return fired_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;  // written by the watchdog thread, read after join
  std::thread thread_;
};

// Waits until the pool's `_handle_tasks` thread is blocked inside the task queue's put():
// parked, and not on the pool's own queue of pending jobs. Only it writes tasks, so it waits
// there for room in the pipe.
bool task_handler_blocked_writing() {
  return concur::testing::eventually([] {
    for (ThreadState* t : runtime().live_threads()) {
      WaitSite* site = t->waiting_on.load();
      if (t->name.find("_handle_tasks") != std::string::npos && site && site->label() != "Pool pending jobs")
        return true;
    }
    return false;
  });
}

// A process that is not our child has ended: gone, or a zombie its parent has not reaped.
bool ended(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z' || line[close + 2] == 'X';
}

// Waits until our child `pid` has ended, without reaping it (that is the core's job).
void wait_ended_unreaped(int pid) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
}

class ProcessPoolErrorPaths : public concur::testing::CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    register_function("test.crash_after", crash_after);
    register_function("test.crash_with_data", crash_with_data);
    register_function("test.crash_when_opened", crash_when_opened);
  }
};

// CPython test_shutdown_deadlock: f = executor.submit(_crash, delay=.1);
// executor.shutdown(wait=True); f.result() raises BrokenProcessPool.
TEST_F(ProcessPoolErrorPaths, WorkerCrashDuringShutdownGivesBrokenProcessPool) {
  Watchdog watchdog(milliseconds(10000));
  std::vector<int> pids;
  {
    ProcessPoolExecutor executor(2);
    Future<Value> f = executor.submit("test.crash_after", {100.0});  // 0.1 s, as CPython's delay
    for (const auto& w : executor.processes()) pids.push_back(*w->pid());
    EXPECT_FALSE(f.done());
    executor.shutdown(true);  // the crash comes while shutdown waits
    EXPECT_TRUE(f.done());
    EXPECT_NE(f.exception(), nullptr);
    EXPECT_THROW(f.result(), BrokenProcessPool);
    EXPECT_EQ(concur::testing::py_error([&] { f.result(); }).substr(0, 17), "BrokenProcessPool");
    int crashed = 0;
    for (const auto& w : executor.processes()) crashed += w->exitcode() == -SIGKILL;
    EXPECT_EQ(crashed, 1);
  }
  EXPECT_FALSE(watchdog.disarm()) << "shutdown(wait=True) hung";
  for (int p : pids) EXPECT_TRUE(ended(p)) << p;
  EXPECT_TRUE(no_zombie());
}

// The crash before shutdown() is called, another job running in the other worker: both
// fail, later submits are refused, and shutdown returns.
TEST_F(ProcessPoolErrorPaths, WorkerCrashBeforeShutdownFailsEveryUnfinishedFuture) {
  Watchdog watchdog(milliseconds(10000));
  {
    ProcessPoolExecutor executor(2);
    Future<Value> running = executor.submit("test.sleep_then", {1e6, 1});
    Future<Value> crash = executor.submit("test.crash_after", {0.0});
    EXPECT_THROW(crash.result(), BrokenProcessPool);
    EXPECT_THROW(running.result(), BrokenProcessPool);
    EXPECT_THROW(executor.submit("test.sleep_then", {0.0, 2}), BrokenProcessPool);
    executor.shutdown(true);
  }
  EXPECT_FALSE(watchdog.disarm()) << "shutdown(wait=True) hung";
  EXPECT_TRUE(no_zombie());
}

// CPython test_crash_big_data (gh-94777): a worker crashes while the task handler is writing a
// task larger than the pipe into the task queue. map() gives BrokenProcessPool, and leaving
// the executor (shutdown(wait=True)) must not hang on the task handler, stuck in a write no
// live worker will ever read.
TEST_F(ProcessPoolErrorPaths, CrashWhileALargeTaskIsSentGivesBrokenProcessPoolAndLeavingDoesNotHang) {
  Watchdog watchdog(milliseconds(10000));
  std::vector<int> pids;
  {
    ProcessPoolExecutor executor(2);
    List items(6, big_data());
    EXPECT_THROW(
        {
          for (const Value& v : executor.map("test.crash_with_data", items)) (void)v;
        },
        BrokenProcessPool);
    for (const auto& w : executor.processes()) pids.push_back(*w->pid());
  }  // shutdown(wait=True)
  EXPECT_FALSE(watchdog.disarm()) << "leaving the executor hung";
  ASSERT_EQ(pids.size(), 2u);
  for (int p : pids) EXPECT_TRUE(ended(p)) << p;
  EXPECT_TRUE(no_zombie());
}

// The same after shutdown(wait=False): the caller's later shutdown(wait=True) returns. The
// crash waits for the gate, so every task is submitted before the pool breaks (submit() on a
// broken pool raises BrokenProcessPool, as Python's does), and the task handler is writing
// the next large task into the pipe when the only worker dies.
TEST_F(ProcessPoolErrorPaths, CrashWhileALargeTaskIsSentThenShutdownWithoutWaitingThenWaitingDoesNotHang) {
  Watchdog watchdog(milliseconds(10000));
  ASSERT_EQ(::pipe2(g_gate, O_CLOEXEC), 0);
  {
    ProcessPoolExecutor executor(1);
    Future<Value> crash = executor.submit("test.crash_when_opened", {big_data()});
    Future<Value> big = executor.submit("test.sleep_then", {0.0, big_data()});
    Future<Value> bigger = executor.submit("test.sleep_then", {0.0, big_data()});
    executor.shutdown(false);
    ASSERT_EQ(::write(g_gate[1], "x", 1), 1);  // the worker crashes now
    EXPECT_THROW(crash.result(), BrokenProcessPool);
    EXPECT_THROW(big.result(), BrokenProcessPool);
    EXPECT_THROW(bigger.result(), BrokenProcessPool);
    executor.shutdown(true);
  }
  EXPECT_FALSE(watchdog.disarm()) << "shutdown(wait=True) hung";
  EXPECT_TRUE(no_zombie());
  for (int& fd : g_gate) {
    ::close(fd);
    fd = -1;
  }
}

// Pool.terminate() while the task handler is writing a task larger than the pipe (the only
// worker is busy and reads nothing): the workers are killed and reaped, and terminate()
// returns instead of joining a task handler stuck in that write.
TEST_F(ProcessPoolErrorPaths, TerminatingAPoolWhileALargeTaskIsSentDoesNotHang) {
  Watchdog watchdog(milliseconds(10000));
  int pid = 0;
  {
    Pool pool(1);
    pid = *pool.workers()[0]->pid();
    AsyncResult busy = pool.apply_async("test.sleep_then", {1e6, 0});
    AsyncResult big = pool.apply_async("test.sleep_then", {0.0, big_data()});
    ASSERT_TRUE(task_handler_blocked_writing());
    pool.terminate();
    EXPECT_FALSE(big.ready());  // Python's terminate(): unfinished jobs stay unfinished
    EXPECT_EQ(pool.workers()[0]->exitcode(), -SIGTERM);
  }
  EXPECT_FALSE(watchdog.disarm()) << "terminate() hung";
  EXPECT_TRUE(ended(pid));
  EXPECT_TRUE(no_zombie());
}

// The forkserver is this test program, which knows the probes; one another test started
// (from concur) is stopped first, and this one after.
class ForkserverErrorPaths : public concur::testing::CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    stop_forkserver();
    set_executable(concur::testing::kProbeExecutable);
    set_start_method("forkserver");
  }
  void TearDown() override {
    stop_forkserver();
    CoreTest::TearDown();
  }
};

// CPython check_forkserver_death(SIGKILL): a child sleeps; the forkserver is killed; a new
// child starts (a new server forks it) and exits 0; the first child finishes by itself.
// Python's first child ends with 0 or 255 (its server could not report); here the child
// reports its own exit code, 0.
TEST_F(ForkserverErrorPaths, AKilledForkserverIsReplacedAndItsRunningChildEndsWithItsOwnExitCode) {
  int server = forkserver_pid();
  Process proc({.target_name = "test.probe.sleep", .args = {300.0}});  // 0.3 s
  proc.start();
  ASSERT_TRUE(proc.is_alive());
  ASSERT_EQ(::kill(server, SIGKILL), 0);
  wait_ended_unreaped(server);

  Process proc2({.target_name = "test.probe.print", .args = {"second"}});
  proc2.start();
  proc2.join();
  EXPECT_EQ(proc2.exitcode(), 0);
  int new_server = forkserver_pid();
  EXPECT_NE(new_server, server);

  proc.join();
  EXPECT_EQ(proc.exitcode(), 0);  // not -9: it did not die with its server
  EXPECT_EQ(out(), "second\n");
  EXPECT_TRUE(no_zombie());  // the dead server was reaped
}

// The server killed just before a start, not yet seen dead: the start still succeeds (the
// request finds no server, which is reaped and replaced, and the request is sent once more).
TEST_F(ForkserverErrorPaths, AForkserverKilledJustBeforeAStartIsReplacedAtThatStart) {
  for (int i = 0; i < 3; ++i) {
    int server = forkserver_pid();
    ASSERT_EQ(::kill(server, SIGKILL), 0);
    Process p({.target_name = "test.probe.exit", .args = {7}});
    p.start();
    p.join();
    EXPECT_EQ(p.exitcode(), 7);
    EXPECT_NE(forkserver_pid(), server);
  }
  EXPECT_TRUE(no_zombie());
}

// CPython check_forkserver_death(SIGINT): the server ignores Ctrl-C's signal; it stays, and
// its children run on.
TEST_F(ForkserverErrorPaths, SigintToTheForkserverIsIgnored) {
  int server = forkserver_pid();
  Process proc({.target_name = "test.probe.sleep", .args = {50.0}});
  proc.start();
  ASSERT_EQ(::kill(server, SIGINT), 0);
  Process proc2({.target_name = "test.probe.print", .args = {"second"}});
  proc2.start();
  proc2.join();
  EXPECT_EQ(proc2.exitcode(), 0);
  proc.join();
  EXPECT_EQ(proc.exitcode(), 0);
  EXPECT_EQ(forkserver_pid(), server);
}

// A child that ends without reporting its exit code itself (here killed by terminate())
// after its server died: nobody can say how it ended, and Python's exit code for that is 255.
TEST_F(ForkserverErrorPaths, AChildThatEndsUnreportedAfterItsServerDiedHasExitCode255) {
  int server = forkserver_pid();
  Process proc({.target_name = "test.probe.sleep", .args = {1e6}});
  proc.start();
  ASSERT_EQ(::kill(server, SIGKILL), 0);
  wait_ended_unreaped(server);
  EXPECT_TRUE(proc.is_alive());  // it outlived its server
  proc.terminate();
  proc.join();
  EXPECT_EQ(proc.exitcode(), 255);
}

// The other half of the rule: a forkserver child outlives its server, but not the program
// that asked for it. The "program" is a forked child of this test (so the test can SIGKILL
// it): it starts a forkserver child that sleeps and reports both pids. Killing that program's
// forkserver leaves the child running; killing the program (SIGKILL: no clean-up) kills it.
TEST_F(ForkserverErrorPaths, AForkserverChildOutlivesItsServerButNotTheProgram) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: the forked 'program' starts a thread of its own (to relay its child's output), and "
                  "ThreadSanitizer's die_after_fork may end a child forked from a multi-threaded process then";
#endif
  int report[2];
  ASSERT_EQ(::pipe2(report, O_CLOEXEC), 0);
  Process program({.target = [w = report[1]] {
                     Process child({.target_name = "test.probe.sleep", .args = {1e9}, .start_method = "forkserver"});
                     child.start();
                     int pids[2] = {*child.pid(), forkserver_pid()};
                     [[maybe_unused]] ssize_t n = ::write(w, pids, sizeof pids);
                     concur::scheduler().sleep(1e9);  // until killed
                   },
                   .start_method = "fork"});
  program.start();
  ::close(report[1]);
  int pids[2] = {0, 0};
  pollfd p{report[0], POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 10000), 1);
  ASSERT_EQ(::read(report[0], pids, sizeof pids), static_cast<ssize_t>(sizeof pids));
  ::close(report[0]);
  auto [child, server] = pids;
  ASSERT_NE(server, forkserver_pid());  // the program's own forkserver, not this process's

  ASSERT_EQ(::kill(server, SIGKILL), 0);
  EXPECT_TRUE(concur::testing::eventually([&] { return ended(server); }));
  // It does not die with its server (it had 0.1 s to).
  EXPECT_FALSE(concur::testing::eventually([&] { return ended(child); }, milliseconds(100)));

  program.kill();  // SIGKILL: the program cannot clean up
  program.join();
  EXPECT_EQ(program.exitcode(), -SIGKILL);
  EXPECT_TRUE(concur::testing::eventually([&] { return ended(child); })) << "the forkserver child outlived the program";
  if (!ended(child)) ::kill(child, SIGKILL);
}

}  // namespace
}  // namespace concur::process
