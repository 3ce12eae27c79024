// The event demo: a waiter that goes on only after the set (a setter thread, or main), and an
// Event as a stop flag.
#include <set>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

namespace {


}  // namespace

TEST(EventDemoTest, WaiterVariantReceivesTheEventOnlyAfterItIsSet) {
  auto r = run_demo("event", "waiter");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = lines_of(r.out);
  int waiting = index_of(lines, "Waiting for event to be set...");
  int setting = index_of(lines, "Setting the event.");
  int received = index_of(lines, "Event received! Continuing execution.");
  ASSERT_GE(waiting, 0) << r.out;
  ASSERT_GE(setting, 0) << r.out;
  EXPECT_GT(received, waiting);
  EXPECT_GT(received, setting);
  EXPECT_THAT(r.out, ContainsRegex("check: ok - the waiter blocked in wait\\(\\) for [0-9.]+ s and went on only "
                                   "after set\\(\\) was called"));
}

TEST(EventDemoTest, WaiterNeverProceedsBeforeTheSetInTwentyRuns) {
  for (int seed = 1; seed <= 20; ++seed) {
    auto r = run_demo("event", "waiter", {}, std::to_string(seed));
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("went on only after set() was called"));
  }
}

TEST(EventDemoTest, StopVariantPrintsThreadRunningUntilTheStopEventIsSet) {
  auto r = run_demo("event", "stop");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  int running = 0;
  for (const auto& line : lines_of(r.out)) {
    if (line.starts_with("Watch: ") || line.starts_with("check: ")) continue;
    EXPECT_EQ(line, "Thread running...");
    ++running;
  }
  EXPECT_GE(running, 1);
  EXPECT_THAT(r.out, ContainsRegex("check: ok - Thread running\\.\\.\\. printed [0-9]+ times; the worker stopped at "
                                   "its next check of the event \\(lines after set\\(\\): [01]\\) and was joined"));
}

// 003 "Threading Example: Using Event": the worker's two lines and main's one, each by its own
// thread (the check reads the transcript), "Event received!" after main's line on every seed.
TEST(EventDemoTest, WorkerMainVariantReceivesTheEventOnlyAfterMainPrintsAndSetsIt) {
  for (int seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    auto r = run_demo("event", "worker-main", {}, std::to_string(seed));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto lines = demo_lines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    int waiting = index_of(lines, "Waiting for event to be set...");
    int setting = index_of(lines, "Main thread setting the event...");
    int received = index_of(lines, "Event received! Proceeding with work.");
    ASSERT_GE(waiting, 0) << r.out;
    ASSERT_GE(setting, 0) << r.out;
    EXPECT_EQ(received, 2) << r.out;
    EXPECT_THAT(r.out, ContainsRegex("check: ok - (MainThread|Thread-1 \\(worker\\)) spoke first \\(the "
                                     "scheduler's choice\\); Thread-1 \\(worker\\) went past wait\\(\\) only after "
                                     "MainThread called set\\(\\)"));
  }
}

// Nobody sleeps, so which of the first two lines comes first is the scheduling's choice:
// across deterministic seeds both orders occur, and "Event received!" is always last.
TEST(EventDemoTest, WorkerMainVariantsFirstLineIsEitherThreadsButReceivedIsAlwaysLast) {
  std::set<std::string> first;
  for (int seed = 1; seed <= 20; ++seed) {
    auto r = run_cli({"demo", "event", "--variant", "worker-main", "--deterministic", "--seed", std::to_string(seed),
                      "--color", "never"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto lines = demo_lines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(lines[2], "Event received! Proceeding with work.") << r.out;
    first.insert(lines[0]);
  }
  EXPECT_EQ(first, (std::set<std::string>{"Waiting for event to be set...", "Main thread setting the event..."}));
}
