// The dining philosophers demo: the lecture's greedy-generous dinner, a naive dinner whose
// deadlock is always detected and never hangs, and two strategies that never deadlock.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The lecture's printed lines (004 "Deadlocks: The Dining Philosophers problem").
const std::regex kLectureLine(
    R"(^(\d+(st|nd|rd|th)) (is hungry\.|starts eating|swaps forks|finishes eating and now thinking\.)$|^ It is finishing\.$)");
const std::regex kMealsLine(R"(^Meals: (\d+(st|nd|rd|th) \d+)(, \d+(st|nd|rd|th) \d+)*$)");

std::string ordinal(int k) {
  if (k % 100 >= 11 && k % 100 <= 13) return std::to_string(k) + "th";
  const char* s[] = {"th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"};
  return std::to_string(k) + s[k % 10];
}

// The lines of `out` printed by philosopher `name`, in order.
std::vector<std::string> lines_by(const std::string& out, const std::string& name) {
  std::vector<std::string> mine;
  for (const auto& line : lines_of(out))
    if (line.starts_with(name + " ")) mine.push_back(line);
  return mine;
}

// The naive dinner at 0.05, the scale `check` runs it at: the deadlock needs every philosopher
// to pick up his left fork within the 5 lecture seconds of his neighbour's reach, and at
// --fast (10 ms), or even at 0.02 (100 ms), a slow thread start on a loaded machine under a
// sanitizer can miss that. About 0.35 s real a dinner.
concur::testing::CliResult run_naive(const std::string& seed, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"demo", "philosophers", "--variant", "naive", "--time-scale", "0.05",
                                   "--seed", seed, "--color", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return concur::testing::run_cli(args);
}

}  // namespace

TEST(PhilosophersDemoTest, GreedyGenerousPrintsOnlyTheLecturesLines) {
  auto r = run_demo("philosophers", "greedy-generous");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  int lecture_lines = 0;
  for (const auto& line : lines_of(r.out)) {
    if (line.starts_with("Watch: ") || line.starts_with("check: ")) continue;
    bool lecture = std::regex_match(line, kLectureLine);
    EXPECT_TRUE(lecture || std::regex_match(line, kMealsLine)) << "unexpected line: '" << line << "'";
    if (lecture) ++lecture_lines;
  }
  EXPECT_GT(lecture_lines, 10);
  EXPECT_THAT(r.out, HasSubstr("\n It is finishing.\n"));
  EXPECT_THAT(r.out, HasSubstr("starts eating\n"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - no deadlock; 5/5 philosophers ate at least once"));
}

TEST(PhilosophersDemoTest, GreedyGenerousPhilosopherEatsOnlyAfterBeingHungry) {
  auto r = run_demo("philosophers", "greedy-generous", {}, "7");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (int k = 1; k <= 5; ++k) {
    std::string state = "thinking";
    for (const auto& line : lines_by(r.out, ordinal(k))) {
      if (line.ends_with("is hungry.")) {
        EXPECT_EQ(state, "thinking") << line;
        state = "hungry";
      } else if (line.ends_with("starts eating")) {
        EXPECT_EQ(state, "hungry") << line;
        state = "eating";
      } else if (line.ends_with("finishes eating and now thinking.")) {
        EXPECT_EQ(state, "eating") << line;
        state = "thinking";
      } else if (line.ends_with("swaps forks")) {
        EXPECT_EQ(state, "hungry") << line;
      }
    }
  }
}

TEST(PhilosophersDemoTest, NaiveDeadlockIsDetectedInTwentyOfTwentyRunsAndNeverHangs) {
  for (int seed = 1; seed <= 20; ++seed) {
    auto start = std::chrono::steady_clock::now();
    auto r = run_naive(std::to_string(seed));
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << "seed " << seed;
    ASSERT_EQ(r.code, 0) << "seed " << seed << "\n" << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("Deadlock detected: 5 threads wait for each other in a cycle; none can go on.\n"))
        << "seed " << seed;
    // Every philosopher holds his left fork and waits for his right one, held by the next
    for (int k = 1; k <= 5; ++k)
      EXPECT_THAT(r.out, HasSubstr(fmt::format("\n  {} holds fork {}, waits for fork {} held by {}\n", ordinal(k), k,
                                               k % 5 + 1, ordinal(k % 5 + 1))))
          << "seed " << seed;
    EXPECT_THAT(r.out, HasSubstr("check: ok - the deadlock was detected and reported"));
  }
}

TEST(PhilosophersDemoTest, NaiveDeadlockOf26PhilosophersIsReportedAsOneCycle) {
  auto r = run_naive("1", {"--philosophers", "26"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Deadlock detected: 26 threads wait for each other in a cycle"));
  EXPECT_THAT(r.out, HasSubstr("\n  26th holds fork 26, waits for fork 1 held by 1st\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  21st holds fork 21, waits for fork 22 held by 22nd\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  12th holds fork 12, waits for fork 13 held by 13th\n"));
}

TEST(PhilosophersDemoTest, OrderedAndWaiterDineWithoutDeadlockAndFeedEveryone) {
  for (const char* variant : {"ordered", "waiter"}) {
    for (const char* n : {"2", "5", "12"}) {
      auto r = run_demo("philosophers", variant, {"--philosophers", n});
      ASSERT_EQ(r.code, 0) << variant << " " << n << "\n" << r.out << r.err;
      EXPECT_THAT(r.out, Not(HasSubstr("Deadlock detected")));
      EXPECT_THAT(r.out, HasSubstr(fmt::format("check: ok - no deadlock; {}/{} philosophers ate at least once", n, n)));
    }
  }
}

TEST(PhilosophersDemoTest, OrderedLastPhilosopherPicksUpForkOneBeforeForkFive) {
  auto r = run_demo("philosophers", "ordered");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> picks;
  for (const auto& line : lines_by(r.out, "5th"))
    if (line.find(" picks up ") != std::string::npos) picks.push_back(line);
  ASSERT_FALSE(picks.empty());
  for (std::size_t i = 0; i < picks.size(); ++i)
    EXPECT_EQ(picks[i], i % 2 == 0 ? "5th picks up fork 1" : "5th picks up fork 5");
}

TEST(PhilosophersDemoTest, WaiterSeatsAPhilosopherBeforeHePicksUpAFork) {
  auto r = run_demo("philosophers", "waiter");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (int k = 1; k <= 5; ++k) {
    bool seated = false;
    for (const auto& line : lines_by(r.out, ordinal(k))) {
      if (line.ends_with("is seated by the waiter")) seated = true;
      if (line.find(" picks up ") != std::string::npos) EXPECT_TRUE(seated) << line;
      if (line.ends_with("finishes eating and now thinking.")) seated = false;
    }
  }
}

TEST(PhilosophersDemoTest, PhilosophersAreNamedWithEnglishOrdinals) {
  auto r = run_demo("philosophers", "ordered", {"--philosophers", "23"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (const char* name : {"1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd"})
    EXPECT_THAT(r.out, HasSubstr(std::string("\n") + name + " is hungry.\n")) << name;
  EXPECT_THAT(r.out, Not(HasSubstr("11st")));
  EXPECT_THAT(r.out, Not(HasSubstr("12nd")));
  EXPECT_THAT(r.out, Not(HasSubstr("13rd")));
}
