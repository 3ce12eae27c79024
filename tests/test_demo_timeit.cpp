// The timeit demo: a timer read around two printing functions, and a timer decorator
// around Myfunction's sleeps, in lecture seconds even at --fast.
#include <regex>
#include <string>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::MatchesRegex;

namespace {

// At 0.02, the scale `check` runs them at, not --fast: the printed times are the lecture's
// only while a lecture second is long next to what a loaded machine adds, and at --fast
// (2 ms) a preempted print or a late wake-up from a sleep can take more.
concur::testing::CliResult run_timeit(const std::string& variant) {
  return concur::testing::run_cli(
      {"demo", "timeit", "--variant", variant, "--time-scale", "0.02", "--seed", "1", "--color", "never"});
}

}  // namespace

TEST(TimeitDemoTest, TimerPrintsEachFunctionsLinesThenItsTinyElapsedTime) {
  auto r = run_timeit("timer");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "Function A starts the execution:");
  EXPECT_EQ(lines[1], "Function A completes the execution:");
  EXPECT_THAT(lines[2], MatchesRegex("0\\.[0-9]+(e-[0-9]+)?|[0-9.]+e-[0-9]+"));
  EXPECT_EQ(lines[3], "Function B starts the execution");
  EXPECT_EQ(lines[4], "Function B completes the execution");
  EXPECT_THAT(lines[5], MatchesRegex("0\\.[0-9]+(e-[0-9]+)?|[0-9.]+e-[0-9]+"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - functionA took [0-9.]+ s and functionB [0-9.]+ s"));
}

TEST(TimeitDemoTest, DecoratorMeasuresAboutTheSumOfMyfunctionsSleepsInLectureSeconds) {
  auto r = run_timeit("decorator");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  std::smatch m;
  std::regex took(R"(Myfunction took ([0-9]+\.[0-9]+) seconds to complete its execution\.)");
  ASSERT_TRUE(std::regex_match(lines[0], m, took)) << lines[0];
  double seconds = std::stod(m[1]);
  EXPECT_GE(seconds, 5.0);   // five sleeps of at least 1 s
  EXPECT_LT(seconds, 12.5);  // five sleeps of at most 2 s, plus 25%
  EXPECT_THAT(r.out, ContainsRegex("check: ok - the timer measured [0-9.]+ s for Myfunction's five sleeps of "
                                   "(5|6|7|8|9|10) s in all, which took [0-9.]+ s here \\(within 25%\\)"));
}

TEST(TimeitDemoTest, AllRunsTheTimerThenTheDecorator) {
  auto r = run_timeit("all");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 7u) << r.out;
  EXPECT_EQ(lines[0], "Function A starts the execution:");
  EXPECT_THAT(lines[6], ContainsRegex("^Myfunction took "));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - functionA took .*; the timer measured"));
}
