// multiprocessing.Process: names, exit codes, terminate, daemon children, start methods,
// and hygiene (every child reaped, a stopped run ends its children).
#include <signal.h>
#include <sys/wait.h>

#include "core_fixture.h"
#include "process_probes.h"

namespace concur::process {
namespace {

using namespace concur::testing;

// Spawn and forkserver children are this test program, which knows the probes; a
// forkserver another test started (from concur) is stopped first, and this one after.
class ProcessTest : public concur::testing::CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    stop_forkserver();
    set_executable(concur::testing::kProbeExecutable);
  }
  void TearDown() override {
    stop_forkserver();
    CoreTest::TearDown();
  }
};


TEST_F(ProcessTest, NamesCountEveryConstructionNamedOrNot) {
  Process a({.name = "myFunc process"});
  Process b;
  Process c({.class_name = "MyProcess"});
  EXPECT_EQ(a.name(), "myFunc process");
  EXPECT_EQ(b.name(), "Process-2");
  EXPECT_EQ(c.name(), "MyProcess-3");
  EXPECT_EQ(current_process_name(), "MainProcess");
}

TEST_F(ProcessTest, ACountStartsAgainInEachRun) {
  Process a;
  EXPECT_EQ(a.name(), "Process-1");
}

TEST_F(ProcessTest, AForkedChildKnowsItsOwnName) {
  Process p({.target = [] { print("{}", current_process_name()); }});
  p.start();
  p.join();
  EXPECT_EQ(out(), "Process-1\n");
  EXPECT_EQ(current_process_name(), "MainProcess");
}

TEST_F(ProcessTest, AGrandchildIsNamedAfterItsParent) {
  Process p({.target = [] {
    Process q({.target = [] { print("{}", current_process_name()); }});
    q.start();
    q.join();
  }});
  p.start();
  p.join();
  EXPECT_EQ(out(), "Process-1:1\n");
}

class Worker : public Process {
 public:
  Worker() : Process(ProcessArgs{.class_name = "MyProcess"}) {}
  void run() override { print("called run method in process: {}", current_process_name()); }
};

TEST_F(ProcessTest, ASubclassRunsItsRunMethodUnderItsClassName) {
  Worker w;
  w.start();
  w.join();
  EXPECT_EQ(out(), "called run method in process: MyProcess-1\n");
}

TEST_F(ProcessTest, ExitCodeIsEmptyUntilTheChildEndsThenZero) {
  auto [go, wait_for_go] = Pipe(false);
  Process p({.target = [&] { go.recv(); }});  // the child runs until the parent says go
  EXPECT_FALSE(p.exitcode().has_value());
  EXPECT_FALSE(p.pid().has_value());
  p.start();
  EXPECT_TRUE(p.pid().has_value());
  EXPECT_TRUE(p.is_alive());
  EXPECT_FALSE(p.exitcode().has_value());
  wait_for_go.send("go");
  p.join();
  EXPECT_FALSE(p.is_alive());
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, AnExitStatusBecomesTheExitCode) {
  Process p({.target_name = "test.probe.exit", .args = {3}});
  p.start();
  p.join();
  EXPECT_EQ(p.exitcode(), 3);
}

TEST_F(ProcessTest, TerminateKillsWithSigtermAndExitCodeIsMinus15) {
  Process p({.target_name = "test.probe.sleep", .args = {1e6}});
  p.start();
  p.terminate();
  p.join();
  EXPECT_EQ(p.exitcode(), -15);
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, JoinWithATimeoutReturnsWhileTheChildRuns) {
  Process p({.target_name = "test.probe.sleep", .args = {1e6}});
  p.start();
  p.join(5);  // 5 ms real at this scale
  EXPECT_TRUE(p.is_alive());
  p.terminate();
  p.join();
  EXPECT_EQ(p.exitcode(), -15);
}

TEST_F(ProcessTest, AnUncaughtErrorExitsWithOneAndNamesTheProcess) {
  Process p({.target_name = "test.probe.fail", .args = {"boom"}});
  p.start();
  p.join();
  EXPECT_EQ(p.exitcode(), 1);
  EXPECT_EQ(err(), "Process Process-1:\nValueError: boom\n");
}

TEST_F(ProcessTest, JoinBeforeStartIsAnAssertionError) {
  Process p;
  EXPECT_THROW(p.join(), AssertionError);
}

TEST_F(ProcessTest, ADaemonChildIsTerminatedWhenItsParentFinishes) {
  int pid = 0;
  {
    Process p({.target_name = "test.probe.sleep", .args = {1e6}, .daemon = true});
    p.start();
    pid = *p.pid();
  }
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, ShutdownTerminatesDaemonChildrenAndJoinsTheOthers) {
  auto [go, wait_for_go] = Pipe(false);
  Process worker({.target = [&] { print("worker got {}", str(go.recv())); }});
  Process helper({.target_name = "test.probe.sleep", .args = {1e6}, .daemon = true});
  worker.start();
  helper.start();
  EXPECT_EQ(active_children().size(), 2u);
  wait_for_go.send("go");
  shutdown();
  EXPECT_EQ(helper.exitcode(), -15);
  EXPECT_EQ(worker.exitcode(), 0);
  EXPECT_TRUE(active_children().empty());
  EXPECT_EQ(out(), "worker got go\n");
}

TEST_F(ProcessTest, ANonDaemonChildIsJoinedWhenItsParentFinishes) {
  {
    Process p({.target_name = "test.probe.print", .args = {"child done"}});
    p.start();
  }
  EXPECT_EQ(out(), "child done\n");
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, AStoppedRunTerminatesAndReapsItsChildren) {
  Process p({.target_name = "test.probe.sleep", .args = {1e6}});
  Process q({.target_name = "test.probe.sleep", .args = {1e6}, .start_method = "spawn"});
  p.start();
  q.start();
  std::thread stopper([] { runtime().cancel(concur::StopReason::kTimeout); });
  EXPECT_THROW(p.join(), ThreadExit);
  EXPECT_THROW(q.join(), ThreadExit);
  stopper.join();
  EXPECT_EQ(p.exitcode(), -15);
  EXPECT_EQ(q.exitcode(), -15);
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, SpawnRunsANamedTargetWithItsArgumentsInAChildNamedLikePython) {
  set_start_method("spawn");
  Process p({.target_name = "test.probe.print", .args = {0, "hello", List{42, None{}}}});
  Process q({.target_name = "test.probe.name"});
  p.start();
  p.join();
  q.start();
  q.join();
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_EQ(out(), "0\nhello\n[42, None]\nProcess-2\n");
}

TEST_F(ProcessTest, SpawnStartsAFreshImageWhileForkCopiesTheParent) {
  probe_global_value() = 7;  // changed in the parent before start
  Process forked({.target_name = "test.probe.global", .start_method = "fork"});
  forked.start();
  forked.join();
  Process spawned({.target_name = "test.probe.global", .start_method = "spawn"});
  spawned.start();
  spawned.join();
  probe_global_value() = 0;
  EXPECT_EQ(out(), "probe global = 7\nprobe global = 0\n");
}

TEST_F(ProcessTest, SpawnTerminateAndErrorsGiveTheSameExitCodes) {
  set_start_method("spawn");
  Process sleeper({.target_name = "test.probe.sleep", .args = {1e6}});
  Process failer({.target_name = "test.probe.fail", .args = {"bad"}});
  sleeper.start();
  failer.start();
  sleeper.terminate();
  sleeper.join();
  failer.join();
  EXPECT_EQ(sleeper.exitcode(), -15);
  EXPECT_EQ(failer.exitcode(), 1);
  EXPECT_THAT(err(), ::testing::HasSubstr("Process Process-2:\nValueError: bad\n"));
}

TEST_F(ProcessTest, ForkserverChildrenRunNamedTargetsAndAreTheServersChildren) {
  set_start_method("forkserver");
  Process p({.target_name = "test.probe.print", .args = {0, "hello"}});
  Process q({.target_name = "test.probe.ppid"});
  p.start();
  p.join();
  q.start();
  q.join();
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_EQ(q.exitcode(), 0);
  auto lines = concur::testing::CoreTest::out();
  ASSERT_EQ(lines.substr(0, 8), "0\nhello\n");
  int ppid = std::stoi(lines.substr(8));
  EXPECT_NE(ppid, ::getpid());  // forked by the server, not by this process
  EXPECT_TRUE(no_zombie());
}

TEST_F(ProcessTest, ForkserverChildrenGiveTheSameExitCodesAndStopWithTheRun) {
  set_start_method("forkserver");
  Process sleeper({.target_name = "test.probe.sleep", .args = {1e6}});
  Process failer({.target_name = "test.probe.fail", .args = {"bad"}});
  Process stopped({.target_name = "test.probe.sleep", .args = {1e6}});
  sleeper.start();
  failer.start();
  stopped.start();
  EXPECT_TRUE(sleeper.is_alive());
  sleeper.terminate();
  sleeper.join();
  failer.join();
  EXPECT_EQ(sleeper.exitcode(), -15);
  EXPECT_EQ(failer.exitcode(), 1);
  EXPECT_THAT(err(), ::testing::HasSubstr("Process Process-2:\nValueError: bad\n"));
  runtime().cancel(concur::StopReason::kTimeout);
  EXPECT_THROW(stopped.join(), ThreadExit);
  EXPECT_EQ(stopped.exitcode(), -15);
}

TEST_F(ProcessTest, SpawnNeedsARegisteredTarget) {
  Process closure({.target = [] {}, .start_method = "spawn"});
  EXPECT_THROW(closure.start(), ValueError);
  Process unknown({.target_name = "no.such.target", .start_method = "spawn"});
  EXPECT_THROW(unknown.start(), ValueError);
}

TEST_F(ProcessTest, SettingTheStartMethodTwiceIsAnError) {
  EXPECT_EQ(get_start_method(), "fork");
  set_start_method("spawn");
  EXPECT_THROW(set_start_method("fork"), RuntimeError);
  EXPECT_THROW(set_start_method("threads"), ValueError);
  EXPECT_THROW(set_start_method("forkserver"), RuntimeError);
  EXPECT_EQ(get_start_method(), "spawn");
}

// _TestStartMethod.test_context / check_context: a child's get_start_method() is its own
// start method (Python's _bootstrap forces it), whatever its parent's default, and the
// child's own children start with it.
TEST_F(ProcessTest, AChildsStartMethodIsItsOwnAndItsChildrenUseIt) {
  for (const char* method : {"spawn", "forkserver", "fork"}) {
    SCOPED_TRACE(method);
    std::size_t before = out().size();
    Process p({.target_name = "test.probe.start_method", .args = {1}, .start_method = method});
    p.start();
    p.join();
    EXPECT_EQ(p.exitcode(), 0);
    EXPECT_EQ(out().substr(before), std::string(method) + "\n" + method + "\n");
  }
  EXPECT_EQ(get_start_method(), "fork");  // the parent's default is untouched
}

TEST_F(ProcessTest, SettingTheStartMethodInAChildIsAnError) {
  Process p({.target = [] {
    try {
      set_start_method("spawn");
      print("set");
    } catch (const RuntimeError& e) {
      print("RuntimeError: {}", e.what());
    }
  }});
  p.start();
  p.join();
  EXPECT_EQ(out(), "RuntimeError: context has already been set\n");
}

// A negative timeout waits not at all (CPython 3.11: Popen.wait hands it to
// connection.wait, whose selector treats it as 0); std::nullopt is Python's None.
TEST_F(ProcessTest, JoinWithANegativeTimeoutReturnsAtOnce) {
  Process p({.target_name = "test.probe.sleep", .args = {2000.0}});  // 2 s real: a wait fails, not hangs
  p.start();
  double took = real_seconds([&] { p.join(-1); });
  EXPECT_LT(took, 1.0);
  EXPECT_TRUE(p.is_alive());
  EXPECT_EQ(p.exitcode(), std::nullopt);
  p.terminate();
  p.join(std::nullopt);
  EXPECT_EQ(p.exitcode(), -15);
}

}  // namespace
}  // namespace concur::process
