// The pool demo: lines in the shape of the lecture's output, futures that resolve once,
// as_completed in finishing order, map in input order; on threads and on processes
// (--executor process), and multiprocessing.Pool (`mp-pool`).
#include <algorithm>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "demos/process_targets.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::StartsWith;

namespace {

const std::regex kWillSleep(R"(^Task (\d) will sleep for (\d\.\d\d) seconds\.$)");
const std::regex kCompleted(R"(^Task (\d) completed\.$)");

}  // namespace

TEST(PoolDemoTest, AsCompletedVariantAnnouncesAndCompletesEachOfTenTasksOnce) {
  for (const std::string seed : {"1", "2", "3"}) {
    auto r = run_demo("pool", "as-completed", {}, seed);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    std::map<int, int> announced, completed;
    std::smatch m;
    for (const auto& line : demo_lines(r.out)) {
      if (std::regex_match(line, m, kWillSleep)) {
        ++announced[std::stoi(m[1])];
        double seconds = std::stod(m[2]);
        EXPECT_TRUE(seconds >= 0.5 && seconds <= 2.0) << line;
      }
      if (std::regex_match(line, m, kCompleted)) ++completed[std::stoi(m[1])];
    }
    ASSERT_EQ(announced.size(), 10u) << r.out;
    ASSERT_EQ(completed.size(), 10u) << r.out;
    for (int t = 0; t < 10; ++t) EXPECT_TRUE(announced[t] == 1 && completed[t] == 1) << "task " << t;
    EXPECT_EQ(demo_lines(r.out).back(), "All tasks have been completed.");
    EXPECT_THAT(r.out, ContainsRegex("check: ok - 10/10 futures resolved once .* in completion order \\(0 out of "
                                     "order\\), on [1-5] worker thread\\(s\\)"));
  }
}

TEST(PoolDemoTest, AsCompletedVariantReportsATaskOnlyAfterItWasAnnounced) {
  auto r = run_demo("pool", "as-completed");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<int> seen;
  std::smatch m;
  for (const auto& line : demo_lines(r.out)) {
    if (std::regex_match(line, m, kWillSleep)) seen.push_back(std::stoi(m[1]));
    if (std::regex_match(line, m, kCompleted))
      EXPECT_NE(std::find(seen.begin(), seen.end(), std::stoi(m[1])), seen.end()) << line;
  }
}

TEST(PoolDemoTest, SquareVariantPrintsTheFourSquaresOfTheLecture) {
  auto r = run_demo("pool", "square");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);  // the workers race: any order, so sorted as text
  std::sort(lines.begin(), lines.end());
  EXPECT_THAT(lines, ElementsAre("Square of 2: 4.", "Square of 4: 16.", "Square of 55: 3025.", "Square of 5: 25."));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 4/4 futures finished without an exception"));
}

TEST(PoolDemoTest, FutureVariantPrintsFalseThenTheRaceThenCompleted) {
  auto r = run_demo("pool", "future");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  // Its own lesson, not map's order (issue 17, item 3)
  EXPECT_THAT(r.out, StartsWith("Watch: done() answers at once (False while the task sleeps); result() waits for "
                                "the task and returns 'Completed'.\n"));
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  // The first done() is False unless the machine stalled main for the task's 2 s.
  EXPECT_TRUE(lines[0] == "False" || lines[0] == "True") << lines[0];
  EXPECT_TRUE(lines[1] == "True" || lines[1] == "False") << lines[1];
  EXPECT_EQ(lines[2], "Completed");
  EXPECT_THAT(r.out, ContainsRegex("check: ok - done\\(\\) was (False|True) [0-9.]+ s after submit"));
}

TEST(PoolDemoTest, MapVariantPrintsTheSquaresInInputOrder) {
  auto r = run_demo("pool", "map");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("4", "9", "16", "25"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - map yielded 4 9 16 25 in input order"));
}

TEST(PoolDemoTest, CountingVariantPrintsEachCountsRealTimeInInputOrderThenTheTotal) {
  auto r = run_demo("pool", "counting");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  // Its own lesson, not map's order (issue 17, item 3)
  EXPECT_THAT(r.out, StartsWith("Watch: the total against the two times: side by side it is about the longer, "
                                "taking turns about the sum (C++ threads have no GIL to take turns on).\n"));
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  const std::string seconds = R"(\d+\.\d+(e-\d+)?)";
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("^Start: 8000000 Time taken: " + seconds + "$"))) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("^Start: 7000000 Time taken: " + seconds + "$"))) << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("^Total time taken: " + seconds + "$"))) << lines[2];
  EXPECT_THAT(r.out, ContainsRegex("check: ok - map returned 2/2 times in input order"));
}

// --deterministic: the cost model (cpu_cost.h) charges each decrement 0.3 ns on the
// virtual clock, the two workers side by side: the total is the longer count's time.
TEST(PoolDemoTest, DeterministicCountingOverlapsTheTwoCountsExactly) {
  for (const std::string executor : {"thread", "process"}) {
    concur::demos::register_process_targets();
    auto r = run_demo("pool", "counting", {"--executor", executor, "--deterministic"});
    ASSERT_EQ(r.code, 0) << executor << "\n" << r.out << r.err;
    EXPECT_THAT(demo_lines(r.out), ElementsAre("Start: 8000000 Time taken: 0.0024",
                                               "Start: 7000000 Time taken: 0.0021", "Total time taken: 0.0024"))
        << executor;
    EXPECT_THAT(r.out, ContainsRegex("check: ok - .*0.0045 s of counting took 0.0024 s in all on 2 worker " + executor +
                                     ".*: the counts ran side by side"))
        << executor;
  }
}

TEST(PoolDemoTest, ExecutorOptionOffersThreadsAndProcessesOnly) {
  EXPECT_EQ(run_demo("pool", "map", {"--executor", "thread"}).code, 0);
  auto r = run_demo("pool", "map", {"--executor", "fiber"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, ContainsRegex("--executor: 'fiber' must be one of thread"));
}

namespace {

// --executor process: the functions cross to the workers by name, from the table
// process_targets.cpp fills (main() fills it for the real program).
CliResult run_on_processes(const std::string& variant) {
  concur::demos::register_process_targets();
  return run_demo("pool", variant, {"--executor", "process"});
}

}  // namespace

// Under ASan only the thread executor: GCC 12's AddressSanitizer allocator takes no lock
// around fork(), and a worker forked while another thread of this many-threaded test process
// allocated hung inside the allocator's inherited lock (gdb: SizeClassAllocator64::
// GetFromAllocator). Process.start() now waits for its relay thread's start-up allocations,
// which cured the Manager tests; here 1 run in 10 still hung (another thread of the pool
// allocating at a fork). The release and TSan builds run both executors.
TEST(PoolDemoTest, EveryVariantHoldsOnThreadsAndOnProcesses) {
  concur::demos::register_process_targets();
#if defined(__SANITIZE_ADDRESS__)
  const std::vector<std::string> executors = {"thread"};
#else
  const std::vector<std::string> executors = {"thread", "process"};
#endif
  for (const std::string variant : {"as-completed", "square", "future", "map", "counting"})
    for (const std::string& executor : executors) {
      auto r = run_demo("pool", variant, {"--executor", executor});
      EXPECT_EQ(r.code, 0) << variant << " on " << executor << "\n" << r.out << r.err;
      EXPECT_THAT(r.out, ContainsRegex("check: ok - ")) << variant << " on " << executor;
    }
}

TEST(PoolDemoTest, ProcessAsCompletedVariantAnnouncesAndCompletesEachOfTenTasksOnce) {
  auto r = run_on_processes("as-completed");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::map<int, int> announced, completed;
  std::smatch m;
  for (const auto& line : demo_lines(r.out)) {
    if (std::regex_match(line, m, kWillSleep)) ++announced[std::stoi(m[1])];
    if (std::regex_match(line, m, kCompleted)) ++completed[std::stoi(m[1])];
  }
  ASSERT_EQ(announced.size(), 10u) << r.out;
  ASSERT_EQ(completed.size(), 10u) << r.out;
  for (int t = 0; t < 10; ++t) EXPECT_TRUE(announced[t] == 1 && completed[t] == 1) << "task " << t;
  EXPECT_EQ(demo_lines(r.out).back(), "All tasks have been completed.");
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 10/10 futures resolved once .* \\(0 out of order\\), from 5 worker "
                                   "processes"));
}

TEST(PoolDemoTest, ProcessSquareVariantPrintsTheFourSquaresFromTheWorkers) {
  auto r = run_on_processes("square");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  std::sort(lines.begin(), lines.end());
  EXPECT_THAT(lines, ElementsAre("Square of 2: 4.", "Square of 4: 16.", "Square of 55: 3025.", "Square of 5: 25."));
  EXPECT_THAT(r.out, ContainsRegex("4/4 worker processes \\(ForkProcess-1\\.\\.\\.\\) exited and were reaped"));
}

TEST(PoolDemoTest, ProcessFutureVariantPrintsFalseThenTheRaceThenCompleted) {
  auto r = run_on_processes("future");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_TRUE(lines[0] == "False" || lines[0] == "True") << lines[0];
  EXPECT_TRUE(lines[1] == "False" || lines[1] == "True") << lines[1];
  EXPECT_EQ(lines[2], "Completed");
  EXPECT_THAT(r.out, ContainsRegex("check: ok - done\\(\\) was (False|True) [0-9.]+ s after submit"));
}

TEST(PoolDemoTest, ProcessMapVariantPrintsTheSquaresInInputOrder) {
  auto r = run_on_processes("map");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("4", "9", "16", "25"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - map yielded 4 9 16 25 in input order .* 3 worker processes"));
}

TEST(PoolDemoTest, ProcessCountingVariantPrintsEachCountsTimeThenTheTotal) {
  auto r = run_on_processes("counting");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  const std::string seconds = R"(\d+\.\d+(e-\d+)?)";
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("^Start: 8000000 Time taken: " + seconds + "$"))) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("^Start: 7000000 Time taken: " + seconds + "$"))) << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("^Total time taken: " + seconds + "$"))) << lines[2];
  EXPECT_THAT(r.out, ContainsRegex("check: ok - map returned 2/2 times in input order.* worker process\\(es\\)"));
}

TEST(PoolDemoTest, MpPoolVariantPrintsTheLecturesThreeListsInInputOrder) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: leaving `with Pool()` terminates the workers, and one killed while it holds the task "
                  "queue's robust lock hands it over with EOWNERDEAD, which ThreadSanitizer does not model (it "
                  "reports the parent's unlock as an unlock of an unlocked mutex); ProcessPoolTest covers the Pool";
#endif
  concur::demos::register_process_targets();
  auto r = run_demo("pool", "mp-pool");  // multiprocessing.Pool: processes, with no --executor
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("[1, 4, 9, 16, 25]", "[0, 2, 4, 6, 8]", "Pool : [0, 1, 4, 9, 16]"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - .* 11/11 worker processes \\(ForkPoolWorker-1, \\.\\.\\.\\) were "
                                   "reaped"));
  EXPECT_EQ(run_demo("pool", "mp-pool", {"--executor", "thread"}).code, 2);  // it reads no --executor
}
