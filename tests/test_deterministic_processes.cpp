// The turn across processes (deterministic.h, turn_link.h), in-process: a deterministic run's
// forked children take turns with its threads, and a wait that no process of the run can end
// is reported across processes and unwound.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/concur.h"
#include "core/deterministic.h"
#include "core/run.h"

namespace {

using ::testing::HasSubstr;

// One deterministic run of `body` with `seed` on this thread; what it printed.
std::string run_virtual_processes(std::uint64_t seed, const std::function<void()>& body) {
  std::ostringstream out, err;
  concur::RunOptions options;
  options.deterministic = true;
  options.seed = seed;
  concur::begin_run(options, out, err);
  body();
  concur::end_run();
  static std::ostringstream sink;  // a real scheduler for the tests that follow
  concur::begin_run(concur::RunOptions{}, sink, sink);
  concur::end_run();
  return out.str() + err.str();
}

// The child's lines and the parent's come out in the order they ran, and a seed gives the
// same order every time.
TEST(TurnAcrossProcessesTest, AChildsLinesInterleaveWithTheParentsTheSameForTheSameSeed) {
  auto body = [] {
    concur::process::Process child({.target = [] {
                              for (int i = 0; i < 3; ++i) concur::print("child {}", i);
                            },
                            .start_method = "fork"});
    child.start();
    for (int i = 0; i < 3; ++i) concur::print("parent {}", i);
    child.join();
    concur::print("exit code {}", child.exitcode().value_or(-1));
  };
  std::string one = run_virtual_processes(5, body), two = run_virtual_processes(5, body);
  EXPECT_EQ(one, two);
  EXPECT_THAT(one, HasSubstr("child 2\n"));
  EXPECT_THAT(one, HasSubstr("exit code 0\n"));
}

// The child reads a pipe whose one writer is the parent, and the parent joins the child: no
// thread of either process can ever run. The report names both waits, the child's read (an
// end of the chain) unwinds, the child exits 1, and the join returns.
TEST(TurnAcrossProcessesTest, AWaitNoProcessCanEndIsReportedAcrossProcessesAndUnwound) {
  std::optional<int> code;
  std::string out = run_virtual_processes(1, [&] {
    auto [reader, writer] = concur::process::Pipe(false);
    concur::process::Process child({.target = [&reader] { reader.recv(); }, .start_method = "fork"});
    child.start();
    child.join();
    code = child.exitcode();
  });
  EXPECT_THAT(out, HasSubstr("Deadlock detected: every thread of every process waits"));
  EXPECT_THAT(out, HasSubstr("  MainThread waits for Process-1 to finish"));
  EXPECT_THAT(out, HasSubstr("  Process-1/MainThread waits for "));
  EXPECT_THAT(out, HasSubstr(", which no running thread will change"));
  EXPECT_EQ(code, 1);
}

// os.getpid() and Process.pid are virtual: 4200 for the main process, 4300 for its first
// child, whose os.getppid() is 4200.
TEST(TurnAcrossProcessesTest, PidsAreVirtualInTheParentAndTheChild) {
  std::optional<int> pid;
  std::string out = run_virtual_processes(1, [&] {
    concur::process::Process child({.target = [] { concur::print("child {} of {}", concur::os::getpid(), concur::os::getppid()); },
                            .start_method = "fork"});
    child.start();
    child.join();
    pid = child.pid();
    concur::print("main {}", concur::os::getpid());
  });
  EXPECT_THAT(out, HasSubstr("child 4300 of 4200\n"));
  EXPECT_THAT(out, HasSubstr("main 4200\n"));
  EXPECT_EQ(pid, 4300);
}

}  // namespace
