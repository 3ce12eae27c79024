// The real `concur` binary (CONCUR_BINARY) as a separate process: what only a process
// shows — Ctrl-C and SIGTERM, exit statuses as the shell sees them, and stdout closed by
// the reader (`concur list | head -1`).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli_fixture.h"
#include "proc_files.h"

using ::testing::HasSubstr;
using ::testing::Not;
using namespace concur::testing;  // the fixtures

namespace {


// Ends with a clean exit, or was killed by SIGPIPE: not a crash, not a hang.
::testing::AssertionResult ended_quietly_on_a_closed_pipe(std::optional<int> status, const std::string& err) {
  if (!status) return ::testing::AssertionFailure() << "still running after the deadline";
  if (WIFSIGNALED(*status) && WTERMSIG(*status) != SIGPIPE)
    return ::testing::AssertionFailure() << "killed by signal " << WTERMSIG(*status);
  if (!err.empty()) return ::testing::AssertionFailure() << "wrote to stderr: " << err;
  return ::testing::AssertionSuccess();
}

// `concur ARGS...` at lecture speed, sent `sig` once its demo has started (its "Watch:" line):
// its wait status, and how long it took to end after the signal.
struct Stopped {
  std::optional<int> status;
  double seconds_after_signal;
};
Stopped signalled_mid_demo(Child& concur, int sig) {
  EXPECT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
  auto sent = Clock::now();
  EXPECT_TRUE(concur.signal(sig));
  auto status = concur.finish(5);
  return {status, seconds_since(sent)};
}

}  // namespace

TEST(CliProcessTest, CtrlCDuringADemoExitsWith130WithinTwoSeconds) {
  Child concur({"demo", "lock", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  auto [status, took] = signalled_mid_demo(concur, SIGINT);
  EXPECT_EQ(exit_of(status), "exit 130") << concur.err();
  EXPECT_LT(took, 2.0);
  EXPECT_EQ(concur.err(), "concur: interrupted\n");
  EXPECT_THAT(concur.out(), Not(HasSubstr("check:")));
}

TEST(CliProcessTest, SigtermDuringADemoExitsWith143) {
  Child concur({"demo", "lock", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  EXPECT_EQ(exit_of(signalled_mid_demo(concur, SIGTERM).status), "exit 143") << concur.err();
}

TEST(CliProcessTest, WatchdogExitsWith3WithinASecondAndOneLineOnStderr) {
  // The bound is on what the watchdog takes, not on starting and ending the program, which
  // an instrumented build under load does in a few tenths of a second: measured first.
  auto probe_start = Clock::now();
  Child probe({"list"});
  ASSERT_TRUE(probe.spawned());
  EXPECT_EQ(exit_of(probe.finish(10)), "exit 0");
  double start_and_end = seconds_since(probe_start);
  auto start = Clock::now();
  Child concur({"demo", "lock", "--variant", "coarse", "--time-scale", "1", "--timeout", "0.3"});
  ASSERT_TRUE(concur.spawned());
  EXPECT_EQ(exit_of(concur.finish(10)), "exit 3");
  EXPECT_LT(seconds_since(start) - start_and_end, 1.2) << "start-up and exit alone: " << start_and_end << " s";
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("watchdog"));
}

TEST(CliProcessTest, BadUsageExitsWith2AndOneLineOnStderr) {
  Child concur({"semaphor"});
  EXPECT_EQ(exit_of(concur.finish(10)), "exit 2");
  EXPECT_EQ(concur.out(), "");
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("did you mean 'semaphore'?"));
}

TEST(CliProcessTest, ColorAutoIntoAPipePrintsNoEscapeCodes) {
  Child concur({"demo", "semaphore", "--fast", "--seed", "1"});
  EXPECT_EQ(exit_of(concur.finish(20)), "exit 0") << concur.err();
  EXPECT_THAT(concur.out(), HasSubstr("Watch:"));
  EXPECT_THAT(concur.out(), Not(HasSubstr("\x1b[")));
  EXPECT_THAT(concur.err(), Not(HasSubstr("\x1b[")));
}

TEST(CliProcessTest, ListPipedIntoHeadOneEndsWithoutErrorText) {
  Child concur({"list"});
  ASSERT_TRUE(concur.spawned());
  ASSERT_TRUE(concur.wait_for_stdout("\n", 10));
  concur.close_stdout();
  EXPECT_TRUE(ended_quietly_on_a_closed_pipe(concur.finish(10), concur.err()));
}

TEST(CliProcessTest, ListIntoAPipeWithNoReaderEndsWithoutErrorText) {
  Child concur({"list"}, {.close_stdout_first = true});
  ASSERT_TRUE(concur.spawned());
  EXPECT_TRUE(ended_quietly_on_a_closed_pipe(concur.finish(10), concur.err()));
}

TEST(CliProcessTest, ListIntoAPipeWithNoReaderAndSigpipeIgnoredExitsWithoutErrorText) {
  Child concur({"list"}, {.close_stdout_first = true, .ignore_sigpipe = true});
  ASSERT_TRUE(concur.spawned());
  EXPECT_THAT(exit_of(concur.finish(10)), ::testing::StartsWith("exit "));
  EXPECT_EQ(concur.err(), "");
}

TEST(CliProcessTest, DemoIntoAPipeWithNoReaderAndSigpipeIgnoredStillEnds) {
  Child concur({"demo", "semaphore", "--fast", "--seed", "1"}, {.close_stdout_first = true, .ignore_sigpipe = true});
  ASSERT_TRUE(concur.spawned());
  EXPECT_THAT(exit_of(concur.finish(20)), ::testing::StartsWith("exit ")) << "hung writing to a closed pipe";
}

// Ctrl-C reaches an asyncio demo's loop as it does a thread demo: the loop stops, exit 130.
TEST(CliProcessTest, CtrlCDuringAnAsyncDemoExitsWith130) {
  Child concur({"demo", "async", "--variant", "coffee", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  auto [status, took] = signalled_mid_demo(concur, SIGINT);
  EXPECT_EQ(exit_of(status), "exit 130") << concur.err();
  EXPECT_LT(took, 2.0);
  EXPECT_EQ(concur.err(), "concur: interrupted\n");
}

// SIGTERM during a thread demo asked to write a trace: exit 143 and no file, whole or partial.
TEST(CliProcessTest, SigtermDuringATracedThreadDemoExitsWith143AndWritesNoTrace) {
  TempDir dir{"sigterm"};
  Child concur({"demo", "lock", "--time-scale", "1", "--color", "never", "--trace", dir.file("run.json")});
  ASSERT_TRUE(concur.spawned());
  EXPECT_EQ(exit_of(signalled_mid_demo(concur, SIGTERM).status), "exit 143") << concur.err();
  EXPECT_THAT(dir.entries(), ::testing::IsEmpty());
}

// `concur demo lock --fast | head -3`, and the same for a process demo and an async demo:
// once the reader has its lines and goes, the run ends quietly (no error text, no hang).
TEST(CliProcessTest, DemoPipedIntoHeadThreeEndsWithoutErrorText) {
  for (std::vector<std::string> args : {std::vector<std::string>{"demo", "lock", "--fast"},
                                        std::vector<std::string>{"demo", "mpqueue", "--fast"},
                                        std::vector<std::string>{"demo", "async", "--variant", "gather", "--fast"}}) {
    SCOPED_TRACE(args[1]);
    Child concur(args);
    ASSERT_TRUE(concur.spawned());
    ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.err();
    concur.close_stdout();
    EXPECT_TRUE(ended_quietly_on_a_closed_pipe(concur.finish(20), concur.err()));
  }
}

// SIGTERM and the watchdog stop an asyncio demo's loop too: exit 143, and exit 3 with one line.
TEST(CliProcessTest, SigtermDuringAnAsyncDemoExitsWith143) {
  Child concur({"demo", "async", "--variant", "coffee", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  EXPECT_EQ(exit_of(signalled_mid_demo(concur, SIGTERM).status), "exit 143") << concur.err();
}

TEST(CliProcessTest, WatchdogStopsAnAsyncDemoWithExit3AndOneLine) {
  Child concur({"demo", "async", "--variant", "coffee", "--time-scale", "1", "--timeout", "0.3"});
  ASSERT_TRUE(concur.spawned());
  EXPECT_EQ(exit_of(concur.finish(10)), "exit 3");
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("watchdog"));
}

// The fixture's own promise: a run still going when its Child goes (as when a failed ASSERT
// returns early) is killed with every process it started, and reaped: no zombie of the test,
// no orphan left running. (sh's `sleep` would outlive a kill of sh alone: it does not die
// with its parent, as concur's children do.)
TEST(BinaryFixtureTest, ARunLeftGoingIsKilledWithItsProcessGroupAndReaped) {
  pid_t pid = -1;
  auto processes_of_the_run = [&] {
    std::vector<ProcInfo> found;
    for (const auto& p : all_processes())
      if (p.pgid == pid && p.state != 'Z') found.push_back(p);
    return found;
  };
  {
    Child sh({"-c", "sleep 60 & wait"}, {.program = "/bin/sh"});
    ASSERT_TRUE(sh.spawned());
    pid = sh.pid();
    ASSERT_TRUE(sh.pump_until([&] { return processes_of_the_run().size() == 2; }, 10)) << "sleep did not start";
  }
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1) << "sh was not reaped";
  auto gone = Clock::now();
  while (!processes_of_the_run().empty() && seconds_since(gone) < 1.0) usleep(2000);
  EXPECT_THAT(processes_of_the_run(), ::testing::IsEmpty()) << "a process of the run outlived its Child";
}
