// What the real binary does in a hostile environment: output paths that are links, fifos,
// devices or impossible; closed, full and abandoned standard output; process, memory and
// file-size limits. Each case: the exit code the README promises, at most one line on
// stderr, no hang, and nothing left behind (no temporary file, no process).
//
// Cases that need another user or a limit run the binary through /bin/sh (ulimit) or
// setpriv (an ordinary user, where root would mask a process limit).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli_fixture.h"

namespace {

namespace fs = std::filesystem;
using namespace concur::testing;  // the fixtures
using ::testing::HasSubstr;
using ::testing::StartsWith;

class HardeningTest : public ::testing::Test {
 protected:
  std::string file(const std::string& name) const { return dir_.file(name); }
  // `concur ARGS` run by /bin/sh as `SHELL_PREFIX concur ARGS SHELL_SUFFIX` in the test's
  // folder, its stdout and stderr captured; how it ended ("exit 0", ...).
  std::string sh(const std::string& prefix, const std::string& args, const std::string& suffix = "") {
    std::string command = "cd " + shell_quoted(dir_.path()) + " || exit 99; " + prefix + " " +
                          shell_quoted(CONCUR_BINARY) + " " + args + " " + suffix;
    child_.emplace(std::vector<std::string>{"-c", command}, SpawnOptions{.program = "/bin/sh"});
    return exit_of(child_->finish(20));
  }
  const std::string& err() const { return child_->err(); }
  const std::string& out() const { return child_->out(); }

  static int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

  TempDir dir_{"hardening"};
  std::optional<Child> child_;
};

// --- Output paths --------------------------------------------------------------------------

TEST_F(HardeningTest, TraceIntoASymlinkWritesItsTargetAndKeepsTheLink) {
  std::ofstream(file("target.json")).close();
  fs::create_symlink("target.json", file("link.json"));
  std::string how = sh("", "demo semaphore --fast --quiet --trace link.json");
  EXPECT_EQ(how, "exit 0") << err();
  EXPECT_TRUE(fs::is_symlink(file("link.json")));
  EXPECT_THAT(slurp(file("target.json")), StartsWith("{\"traceEvents\": ["));
  EXPECT_THAT(dir_.entries(), ::testing::ElementsAre("link.json", "target.json"));
}

TEST_F(HardeningTest, TraceIntoADanglingSymlinkCreatesItsTarget) {
  fs::create_symlink("made.json", file("link.json"));
  std::string how = sh("", "demo semaphore --fast --quiet --trace link.json");
  EXPECT_EQ(how, "exit 0") << err();
  EXPECT_TRUE(fs::is_symlink(file("link.json")));
  EXPECT_THAT(slurp(file("made.json")), StartsWith("{\"traceEvents\": ["));
}

TEST_F(HardeningTest, RecordIntoAFifoStreamsToItsReaderAndLeavesTheFifo) {
  ASSERT_EQ(::mkfifo(file("cast").c_str(), 0600), 0);
  // The reader: sh copies the fifo into a file while concur writes it.
  std::string how = sh("cat cast > got.txt & ", "demo semaphore --fast --quiet --record cast", "; wait");
  EXPECT_EQ(how, "exit 0") << err();
  struct stat st {};
  ASSERT_EQ(::lstat(file("cast").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the fifo was replaced";
  EXPECT_THAT(slurp(file("got.txt")), StartsWith("{\"version\":2,"));
}

TEST_F(HardeningTest, TraceIntoDevNullKeepsTheDeviceAndDevFullIsAWriteError) {
  std::string how = sh("", "demo semaphore --fast --quiet --trace /dev/null");
  EXPECT_EQ(how, "exit 0") << err();
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null was replaced";
  how = sh("", "demo semaphore --fast --quiet --trace /dev/full");
  EXPECT_EQ(how, "exit 1");
  EXPECT_EQ(err(), "concur: --trace: cannot write '/dev/full': No space left on device\n");
  ASSERT_EQ(::lstat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full was replaced";
}

// At lecture speed the demo would run 40 s: a path error must be found before it starts.
TEST_F(HardeningTest, AnUnwritablePathIsExitTwoBeforeTheRunAndLeavesNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--trace /proc/version", ""},
      {"--trace /sys/kernel/notes", ""},
      {"--record " + std::string(300, 'x') + ".cast", "File name too long"},
      {"--trace x.json", ""},  // run from /proc below
      {"--trace same.json --record same.json", "give each its own file"},
  };
  for (const auto& [option, reason] : cases) {
    SCOPED_TRACE(option);
    auto start = Clock::now();
    std::string prefix = option == "--trace x.json" ? "cd /proc &&" : "";
    std::string how = sh(prefix, "demo semaphore --time-scale 1 " + option);
    EXPECT_EQ(how, "exit 2") << err();
    EXPECT_LT(seconds_since(start), 5.0);
    EXPECT_EQ(lines(err()), 1) << err();
    EXPECT_THAT(err(), HasSubstr(reason));
    EXPECT_EQ(out(), "");
    EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
  }
}

TEST_F(HardeningTest, AFileSizeLimitIsAWriteErrorAndLeavesNoTemporaryFile) {
  for (const char* option : {"--trace big.json", "--record big.cast"}) {
    SCOPED_TRACE(option);
    std::string how = sh("ulimit -f 1 &&", std::string("demo philosophers --fast --quiet ") + option, "> /dev/null");
    EXPECT_EQ(how, "exit 1") << err();
    EXPECT_THAT(err(), HasSubstr("File too large"));
    EXPECT_EQ(lines(err()), 1) << err();
    EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
  }
}

TEST_F(HardeningTest, StepWithRecordWritesTheCast) {
  std::string how = sh("yes '' |", "demo race --variant unsafe --step --seed 1 --iterations 20 --record step.cast", "> /dev/null 2>&1");
  EXPECT_TRUE(how == "exit 0" || how == "exit 1") << how;  // whether the race lost an update
  EXPECT_THAT(slurp(file("step.cast")), StartsWith("{\"version\":2,"));
}

// --- Standard streams ----------------------------------------------------------------------

// (Not the process pool under ASan: see PoolDemoTest.EveryVariantHoldsOnThreadsAndOnProcesses;
// GCC 12's ASan allocator is not fork-safe and a worker forked mid-allocation hangs.)
TEST_F(HardeningTest, ClosedStandardOutputDoesNotHangAProcessDemo) {
#if defined(__SANITIZE_ADDRESS__)
  const std::vector<const char*> demos = {"pipe", "mpqueue"};
#else
  const std::vector<const char*> demos = {"pipe", "mpqueue", "pool --executor process"};
#endif
  for (const char* demo : demos) {
    SCOPED_TRACE(demo);
    std::string how = sh("", std::string("demo ") + demo + " --fast", ">&-");
    EXPECT_EQ(how, "exit 0") << err();
  }
}

TEST_F(HardeningTest, AFullStandardOutputIsExitOneWithOneLine) {
  for (const char* command : {"demo semaphore --fast", "demo mpqueue --fast", "list", "source semaphore",
                              "explain semaphore"}) {
    SCOPED_TRACE(command);
    std::string how = sh("", command, "> /dev/full");
    EXPECT_EQ(how, "exit 1");
    EXPECT_EQ(err(), "concur: write error: No space left on device\n");
  }
}

// `concur demo X | head -1`: the demo stops at its next line once the reader has left,
// quietly, with the shell's broken-pipe status. Each demo here runs 3-4 s at its scale, in
// steps of 0.1-0.3 s: one that ran on would take more than twice the bound.
TEST_F(HardeningTest, AReaderThatLeavesStopsTheDemoPromptly) {
  for (const char* demo : {"semaphore --time-scale 0.1", "mpqueue --time-scale 0.1", "eventloop --time-scale 0.2"}) {
    SCOPED_TRACE(demo);
    auto start = Clock::now();
    std::string how = sh("{", std::string("demo ") + demo, "; echo $? > rc; } | head -1 > /dev/null");
    EXPECT_EQ(how, "exit 0") << err();  // the pipeline's: head's
    EXPECT_LT(seconds_since(start), 1.5) << "the demo ran on";
    EXPECT_EQ(slurp(file("rc")), "141\n");  // 128 + SIGPIPE
    EXPECT_EQ(err(), "");
    fs::remove(file("rc"));
  }
}

TEST_F(HardeningTest, AnInheritedTraceDirectoryIsNotWrittenWithoutTrace) {
  fs::create_directory(file("events"));
  std::string how = sh("CONCUR_TRACE_DIR=events", "demo fork --fast --quiet", "> /dev/null");
  EXPECT_EQ(how, "exit 0") << err();
  EXPECT_TRUE(fs::is_empty(file("events")));
}

// --- Resource limits -----------------------------------------------------------------------

// As an ordinary user under `ulimit -u N` (root is not limited): no abort, no hang; exit 1
// with one line naming the cause when a thread or process cannot be made. Under ASan the
// leak check is off for these runs: LeakSanitizer needs a thread of its own at exit, which
// the limit forbids, and it aborts the process ("LeakSanitizer has encountered a fatal error").
#if defined(__SANITIZE_ADDRESS__)
constexpr const char* kNoLeakCheck = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 ";
#else
constexpr const char* kNoLeakCheck = "";
#endif
TEST_F(HardeningTest, AProcessLimitIsExitOneWithOneLineAndNoHang) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run the binary as another user";
  fs::permissions(dir_.path(), fs::perms::all);
  for (int n : {2, 3, 4}) {
    for (const char* demo : {"semaphore", "pipe", "pool --executor process"}) {
      SCOPED_TRACE(std::string(demo) + " with nproc " + std::to_string(n));
      std::string how = sh(std::string(kNoLeakCheck) +
                               "setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=" + std::to_string(n),
                           std::string("demo ") + demo + " --fast --quiet", "> /dev/null");
      EXPECT_TRUE(how == "exit 0" || how == "exit 1") << how << "\n" << err();
      if (how == "exit 1") EXPECT_EQ(lines(err()), 1) << err();
      EXPECT_THAT(err(), ::testing::Not(HasSubstr("terminate called")));
    }
  }
}

TEST_F(HardeningTest, AMemoryLimitEndsTheDinnerWithoutAHang) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitizer's shadow memory needs terabytes of address space: the binary cannot start under "
                  "ulimit -v";
#endif
  for (int kib : {50000, 60000}) {
    SCOPED_TRACE(kib);
    std::string how = sh("ulimit -v " + std::to_string(kib) + " &&", "demo philosophers --fast", "> /dev/null");
    EXPECT_TRUE(how == "exit 0" || how == "exit 1") << how << "\n" << err();
    EXPECT_THAT(err(), ::testing::Not(HasSubstr("terminate called")));
  }
}

TEST_F(HardeningTest, TooFewFileDescriptorsEndsTheRunWithoutAnAbortOrAHang) {
  for (int n : {8, 12}) {
    for (const char* demo : {"pipe", "async --variant fetch", "manager"}) {
      SCOPED_TRACE(std::string(demo) + " with nofile " + std::to_string(n));
      // (Redirected first: with so few descriptors, sh could not redirect any more.)
      std::string prefix = "exec > /dev/null; ulimit -n " + std::to_string(n) + " && exec";
      std::string how = sh(prefix, std::string("demo ") + demo + " --fast");
      EXPECT_TRUE(how == "exit 0" || how == "exit 1") << how << "\n" << err();
      EXPECT_THAT(err(), ::testing::Not(HasSubstr("terminate called")));
    }
  }
}

}  // namespace
