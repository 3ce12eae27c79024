// The race demo: lines in the lecture's shape, losses that add up, and a lock that keeps x exact.
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

namespace {

// One "x = N after Iteration I[ (L updates lost)]" line, parsed.
struct RoundLine {
  long iteration;
  long x;
  long lost;  // 0 when the line names no loss
};

const std::regex kRoundLine(R"(^x = (\d+) after Iteration (\d+)(?: \((\d+) updates? lost\))?$)");

std::vector<RoundLine> round_lines(const std::string& out) {
  std::vector<RoundLine> rounds;
  std::smatch m;
  for (const auto& line : lines_of(out))
    if (std::regex_match(line, m, kRoundLine))
      rounds.push_back({std::stol(m[2]), std::stol(m[1]), m[3].matched ? std::stol(m[3]) : 0});
  return rounds;
}

}  // namespace

TEST(RaceDemoTest, UnsafeVariantPrintsOneLectureLineForEachIterationInOrder) {
  auto r = run_demo("race", "unsafe");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto rounds = round_lines(r.out);
  ASSERT_EQ(rounds.size(), 5u) << r.out;
  for (long i = 0; i < 5; ++i) EXPECT_EQ(rounds[i].iteration, i);
  EXPECT_THAT(r.out, ContainsRegex("check: ok - x never passed 100000"));
}

TEST(RaceDemoTest, UnsafeVariantReportsExactlyTheUpdatesMissingFromX) {
  auto r = run_demo("race", "unsafe", {"--rounds", "20", "--iterations", "20000"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto rounds = round_lines(r.out);
  ASSERT_EQ(rounds.size(), 20u);
  long total = 0, with_loss = 0;
  for (const auto& round : rounds) {
    EXPECT_LE(round.x, 40000);
    EXPECT_EQ(round.x + round.lost, 40000) << "x = " << round.x;
    total += round.lost;
    if (round.lost > 0) ++with_loss;
  }
  // The summary agrees with the lines
  if (total > 0)
    EXPECT_THAT(r.out, HasSubstr("Updates lost in " + std::to_string(with_loss) + " of 20 iterations: " +
                                 std::to_string(total) + " of 800000 increments in all."));
  else
    EXPECT_THAT(r.out, HasSubstr("No update lost in 20 iterations"));
}

TEST(RaceDemoTest, LockedVariantPrintsTheLecturesFiveExactLines) {
  auto r = run_demo("race", "locked");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> expected;
  for (const auto& line : lines_of(r.out))
    if (line.starts_with("x = ")) expected.push_back(line);
  EXPECT_EQ(expected, (std::vector<std::string>{"x = 100000 after Iteration 0", "x = 100000 after Iteration 1",
                                                "x = 100000 after Iteration 2", "x = 100000 after Iteration 3",
                                                "x = 100000 after Iteration 4"}));
  EXPECT_THAT(r.out, HasSubstr("check: ok - x = 100000 after 5/5 iterations under the lock"));
}

TEST(RaceStressTest, LockedVariantStaysExactOver200RoundsOf2000Increments) {
  auto r = run_demo("race", "locked", {"--rounds", "200", "--iterations", "2000"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto rounds = round_lines(r.out);
  ASSERT_EQ(rounds.size(), 200u);
  for (const auto& round : rounds) {
    EXPECT_EQ(round.x, 4000) << "iteration " << round.iteration;
    EXPECT_EQ(round.lost, 0);
  }
}
