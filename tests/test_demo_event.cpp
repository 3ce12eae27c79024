// The event demo: a waiter that goes on only after the set, and an Event as a stop flag.
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

namespace {

// The index of the first line equal to `text`, or -1.
int index_of(const std::vector<std::string>& lines, const std::string& text) {
  for (int i = 0; i < static_cast<int>(lines.size()); ++i)
    if (lines[i] == text) return i;
  return -1;
}

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
