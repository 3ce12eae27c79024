// The gil demo: the lecture's time lines, a speed-up per version against sequential, the
// simulated GIL's hand-overs, and a check that every countdown reached 0. Counts are small
// (--count 2000000) so the runs stay fast; speed-ups are not asserted, the machine may be busy.
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;

namespace {

const std::vector<std::string> kSmall = {"--count", "2000000"};
const std::regex kTimeTaken(R"(^Time taken in seconds - (\d+\.\d+(e-\d+)?)$)");
const std::regex kHeading(R"(^(Sequential|Two threads under a simulated GIL|Two processes|Two threads).*: countdown\((\d+)\).*$)");
const std::string kSpeedUp = R"(\d+\.\d\dx (faster|slower) than sequential)";

}  // namespace

TEST(GilDemoTest, CompareRunsTheFourVersionsInOrderEachWithTheLecturesTimeLine) {
  auto r = run_demo("gil", "compare", kSmall);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(captures(r.out, kHeading),
              ElementsAre("Sequential", "Two threads", "Two processes", "Two threads under a simulated GIL"));
  auto times = captures(r.out, kTimeTaken);
  ASSERT_EQ(times.size(), 4u) << r.out;
  for (const auto& t : times) EXPECT_GT(std::stod(t), 0.0) << r.out;
  // Each line follows its heading: heading, time, heading, time...
  auto lines = demo_lines(r.out);
  ASSERT_GE(lines.size(), 8u);
  EXPECT_TRUE(std::regex_match(lines[0], kHeading)) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], kTimeTaken)) << lines[1];
}

TEST(GilDemoTest, CompareGivesTheThreeOtherVersionsASpeedUpAgainstSequential) {
  auto r = run_demo("gil", "compare", kSmall);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, "two threads: " + kSpeedUp)) << r.out;
  EXPECT_TRUE(has_line(r.out, "two processes: " + kSpeedUp)) << r.out;
  EXPECT_TRUE(has_line(r.out, "simulated GIL: " + kSpeedUp)) << r.out;
  EXPECT_FALSE(has_line(r.out, "sequential: .*")) << r.out;
}

TEST(GilDemoTest, CompareChecksThatAllSevenCountersReachedZero) {
  auto r = run_demo("gil", "compare", kSmall);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 7/7 counters reached 0 in 4 version\\(s\\) of countdown\\(2000000\\); "
                                   "sequential took .* s, .* ns per step, so every step ran; speed-ups: two threads "));
}

TEST(GilDemoTest, ThreadsAndProcessesSplitTheCountInTwo) {
  for (const std::string variant : {"threads", "processes"}) {
    auto r = run_demo("gil", variant, kSmall);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_TRUE(has_line(r.out, "Two (threads|processes): countdown\\(1000000\\) in each")) << r.out;
    EXPECT_EQ(captures(r.out, kTimeTaken).size(), 1u) << r.out;
    EXPECT_THAT(r.out, ContainsRegex("check: ok - 3/3 counters reached 0 in 2 version\\(s\\)"));
  }
}

TEST(GilDemoTest, AVariantAloneNamesTheQuietSequentialBaselineInItsSpeedUpLine) {
  auto r = run_demo("gil", "threads", kSmall);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, "two threads: " + kSpeedUp + R"( \(sequential took .* s\))")) << r.out;
  EXPECT_FALSE(has_line(r.out, "Sequential: .*")) << r.out;
}

TEST(GilDemoTest, SequentialAloneHasOneCounterAndNoSpeedUpLine) {
  auto r = run_demo("gil", "sequential", kSmall);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(Sequential: countdown\(2000000\) in the main thread)")) << r.out;
  EXPECT_EQ(captures(r.out, kTimeTaken).size(), 1u) << r.out;
  EXPECT_FALSE(has_line(r.out, ".*than sequential.*")) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 1/1 counters reached 0"));
}

TEST(GilDemoTest, SimulatedGilHandsTheLockOverBetweenTheTwoThreads) {
  // A short switch interval: many chances to hand over, even if the second thread starts late.
  std::vector<std::string> args = {"--count", "2000000", "--switch-interval", "1000"};
  auto r = run_demo("gil", "simulated-gil", args);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(Two threads under a simulated GIL, handed over every 1000 steps: countdown\(1000000\) in each)"))
      << r.out;
  std::regex hands(R"(^The interpreter lock changed hands (\d+) times?$)");
  auto handovers = captures(r.out, hands);
  ASSERT_EQ(handovers.size(), 1u) << r.out;
  EXPECT_GE(std::stoll(handovers[0]), 1) << r.out;  // at least when the first thread finished
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 3/3 counters reached 0 .* the simulated GIL changed hands"));
}

TEST(GilDemoTest, CountOutsideItsRangeIsAUsageError) {
  auto r = run_demo("gil", "sequential", {"--count", "10"});
  EXPECT_NE(r.code, 0) << r.out;
}

// --deterministic: every step still runs, timed by the cost model on the virtual clock
// (cpu_cost.h), so the lesson comes out exact: two threads halve the time, the simulated
// GIL makes their halves add up again.

TEST(GilDemoTest, DeterministicThreadsTakeExactlyHalfTheSequentialTime) {
  auto r = run_demo("gil", "threads", {"--count", "2000000", "--deterministic"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(two threads: 2\.00x faster than sequential \(sequential took 0\.0006 s\))")) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 3/3 counters reached 0 .*; sequential took 0.0006 s on the virtual "
                                   "clock, 0.30 ns per step as the cost model charges; speed-ups: two threads 2x"));
}

TEST(GilDemoTest, DeterministicSimulatedGilTakesAsLongAsSequentialAndHandsOverEverySwitchInterval) {
  auto r = run_demo("gil", "simulated-gil", {"--count", "2000000", "--switch-interval", "100000", "--deterministic"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(simulated GIL: 1\.00x (faster|slower) than sequential \(sequential took 0\.0006 s\))"))
      << r.out;
  // 10 blocks each, taken in turn: every block but the very first begins with a hand-over
  EXPECT_TRUE(has_line(r.out, "The interpreter lock changed hands 19 times")) << r.out;
}

TEST(GilDemoTest, DeterministicRunsPrintTheSameTimesForTheSameSeed) {
  for (const std::string variant : {"sequential", "threads", "processes", "simulated-gil"}) {
    auto first = run_demo("gil", variant, {"--count", "2000000", "--deterministic"});
    auto second = run_demo("gil", variant, {"--count", "2000000", "--deterministic"});
    ASSERT_EQ(first.code, 0) << first.out << first.err;
    EXPECT_EQ(first.out, second.out) << variant;
  }
}

TEST(GilDemoTest, DeterministicProcessesCountSideBySideLikeTheThreads) {
  auto r = run_demo("gil", "compare", {"--count", "2000000", "--deterministic"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(two threads: 2\.00x faster than sequential)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(two processes: 2\.00x faster than sequential)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(simulated GIL: 1\.00x (faster|slower) than sequential)")) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 7/7 counters reached 0 in 4 version\\(s\\)"));
}
