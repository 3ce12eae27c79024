// `concur bench`: a quick run prints every row with a ratio; bad usage exits 2. No timing is
// asserted (the numbers depend on the machine). The quick run goes through the real binary
// (CONCUR_BINARY): its spawn and `list` rows start the running program again, which must be
// concur, not this test executable.
#include <algorithm>
#include <string>

#include "binary_fixture.h"
#include "cli_fixture.h"

using ::testing::HasSubstr;
using namespace concur::testing;  // the fixtures

namespace {

// `text` as a std::regex that matches it literally.
std::string regex_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (std::string("()[]{}+*?.^$|\\").find(c) != std::string::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

TEST(CliBench, QuickRunPrintsEveryRowWithARatioAndExitsZero) {
  Ran r = run_binary({"bench", "--quick"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (const char* row : {"std::thread (raw)", "Thread (core)", "fork() + waitpid (raw)",
                          "fork() + a line on a pipe (raw)", "Process, fork (core)",
                          "Process, forkserver (core)", "posix_spawn /bin/true (raw)", "Process, spawn (core)",
                          "std::mutex (raw)", "Lock (core)", "std::mutex, 2 threads (raw)",
                          "Lock, 2 threads (core)", "mutex+condvar+deque (raw)", "Queue (core)",
                          "pipe(2) write/read (raw)", "Pipe (core)", "fiber switch (raw)", "decision (core)",
                          "2 processes: SEQPACKET round trip (raw)", "decision across processes (core)",
                          "fork+exec /bin/true (raw)", "concur list"}) {
    // The row: its name, a value with a unit, then "baseline" or a ratio, then the statistic.
    EXPECT_TRUE(has_line(r.out, "  " + regex_escape(row) + R"( +[0-9.]+ (ns|us|ms|s|M/s|k/s|/s) +(baseline|[0-9.]+x) +(best of|median of) .*)"))
        << "no row for " << row << " in:\n" << r.out;
  }
  EXPECT_THAT(r.out, HasSubstr("x base"));
  EXPECT_TRUE(has_line(r.out, R"( +-> `concur list` starts in [0-9.]+ ms \(goal <= 5 ms: (met|NOT met)\).*)")) << r.out;
}

TEST(CliBench, JsonGivesTheSameRowsWithRatios) {
  Ran r = run_binary({"bench", "--quick", "--json"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"Pipe (core)\""));
  EXPECT_THAT(r.out, HasSubstr("\"ratio\":"));
}

TEST(CliBench, AnUnknownOptionIsOneLineOnStderrAndExitTwo) {
  auto r = run_cli({"bench", "--bogus"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(has_line(r.err, "concur: .*--bogus.*")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliBench, AStrayArgumentIsAUsageError) {
  auto r = run_cli({"bench", "now"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
