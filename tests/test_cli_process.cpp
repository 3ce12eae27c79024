// The real `concur` binary (CONCUR_BINARY) as a separate process: what only a process
// shows — Ctrl-C and SIGTERM, exit statuses as the shell sees them, and stdout closed by
// the reader (`concur list | head -1`).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli_fixture.h"

using ::testing::HasSubstr;
using ::testing::Not;
using concur::testing::lines_of;

namespace {

using concur::testing::Child;
using concur::testing::Clock;
using concur::testing::seconds_since;
using concur::testing::SpawnOptions;

// Ends with a clean exit, or was killed by SIGPIPE: not a crash, not a hang.
::testing::AssertionResult ended_quietly_on_a_closed_pipe(std::optional<int> status, const std::string& err) {
  if (!status) return ::testing::AssertionFailure() << "still running after the deadline";
  if (WIFSIGNALED(*status) && WTERMSIG(*status) != SIGPIPE)
    return ::testing::AssertionFailure() << "killed by signal " << WTERMSIG(*status);
  if (!err.empty()) return ::testing::AssertionFailure() << "wrote to stderr: " << err;
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(CliProcessTest, CtrlCDuringADemoExitsWith130WithinTwoSeconds) {
  Child concur({"demo", "lock", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
  auto sent = Clock::now();
  ASSERT_EQ(kill(concur.pid(), SIGINT), 0);
  auto status = concur.finish(5);
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGINT";
  EXPECT_LT(seconds_since(sent), 2.0);
  ASSERT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  EXPECT_EQ(concur.err(), "concur: interrupted\n");
  EXPECT_THAT(concur.out(), Not(HasSubstr("check:")));
}

TEST(CliProcessTest, SigtermDuringADemoExitsWith143) {
  Child concur({"demo", "lock", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
  ASSERT_EQ(kill(concur.pid(), SIGTERM), 0);
  auto status = concur.finish(5);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 143);
}

TEST(CliProcessTest, WatchdogExitsWith3WithinASecondAndOneLineOnStderr) {
  auto start = Clock::now();
  Child concur({"demo", "lock", "--variant", "coarse", "--time-scale", "1", "--timeout", "0.3"});
  ASSERT_TRUE(concur.spawned());
  auto status = concur.finish(10);
  ASSERT_TRUE(status.has_value());
  EXPECT_LT(seconds_since(start), 1.5);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 3);
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("watchdog"));
}

TEST(CliProcessTest, BadUsageExitsWith2AndOneLineOnStderr) {
  Child concur({"semaphor"});
  auto status = concur.finish(10);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_EQ(concur.out(), "");
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("did you mean 'semaphore'?"));
}

TEST(CliProcessTest, ColorAutoIntoAPipePrintsNoEscapeCodes) {
  Child concur({"demo", "semaphore", "--fast", "--seed", "1"});
  auto status = concur.finish(20);
  ASSERT_TRUE(status.has_value());
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
  auto status = concur.finish(10);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
  EXPECT_EQ(concur.err(), "");
}

TEST(CliProcessTest, DemoIntoAPipeWithNoReaderAndSigpipeIgnoredStillEnds) {
  Child concur({"demo", "semaphore", "--fast", "--seed", "1"}, {.close_stdout_first = true, .ignore_sigpipe = true});
  ASSERT_TRUE(concur.spawned());
  auto status = concur.finish(20);
  ASSERT_TRUE(status.has_value()) << "hung writing to a closed pipe";
  EXPECT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
}

// Ctrl-C reaches an asyncio demo's loop as it does a thread demo: the loop stops, exit 130.
TEST(CliProcessTest, CtrlCDuringAnAsyncDemoExitsWith130) {
  Child concur({"demo", "async", "--variant", "coffee", "--time-scale", "1", "--color", "never"});
  ASSERT_TRUE(concur.spawned());
  ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
  auto sent = Clock::now();
  ASSERT_EQ(kill(concur.pid(), SIGINT), 0);
  auto status = concur.finish(5);
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGINT";
  EXPECT_LT(seconds_since(sent), 2.0);
  ASSERT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  EXPECT_EQ(concur.err(), "concur: interrupted\n");
}

// SIGTERM during a thread demo asked to write a trace: exit 143 and no file, whole or partial.
TEST(CliProcessTest, SigtermDuringATracedThreadDemoExitsWith143AndWritesNoTrace) {
  char dir_pattern[] = "/tmp/concur-sigterm-XXXXXX";
  ASSERT_NE(mkdtemp(dir_pattern), nullptr);
  std::string dir = dir_pattern;
  {
    Child concur({"demo", "lock", "--time-scale", "1", "--color", "never", "--trace", dir + "/run.json"});
    ASSERT_TRUE(concur.spawned());
    ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
    ASSERT_EQ(kill(concur.pid(), SIGTERM), 0);
    auto status = concur.finish(5);
    ASSERT_TRUE(status.has_value());
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 143);
  }
  EXPECT_EQ(rmdir(dir.c_str()), 0) << "something was left in " << dir;
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
  ASSERT_TRUE(concur.wait_for_stdout("Watch:", 10)) << concur.out() << concur.err();
  ASSERT_EQ(kill(concur.pid(), SIGTERM), 0);
  auto status = concur.finish(5);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
  EXPECT_EQ(WEXITSTATUS(*status), 143);
}

TEST(CliProcessTest, WatchdogStopsAnAsyncDemoWithExit3AndOneLine) {
  Child concur({"demo", "async", "--variant", "coffee", "--time-scale", "1", "--timeout", "0.3"});
  ASSERT_TRUE(concur.spawned());
  auto status = concur.finish(10);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 3);
  EXPECT_EQ(lines_of(concur.err()).size(), 1u) << concur.err();
  EXPECT_THAT(concur.err(), HasSubstr("watchdog"));
}
