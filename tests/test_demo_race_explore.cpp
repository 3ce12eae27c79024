// `concur demo race --explore`: exact counts of every schedule's final x, checked against a
// count made here another way, and a sample schedule that really ends where it says.
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

namespace {

using Distribution = std::map<long, long long>;  // final x -> number of schedules

// The demo's bar chart lines, "x = 2  ####  32 schedules (45.7%)", parsed.
Distribution printed_distribution(const std::string& out) {
  static const std::regex kBar(R"(^x = (\d+)  #+ +(\d+) schedules? \((\d+\.\d)%\)$)");
  Distribution d;
  std::smatch m;
  for (const auto& line : lines_of(out))
    if (std::regex_match(line, m, kBar)) d[std::stol(m[1])] = std::stoll(m[2]);
  return d;
}

// The same count made independently: a dynamic program over states instead of a list of
// schedules. A state is (steps Thread-1 took, steps Thread-2 took, r1, r2, x); `paths[s]` is
// how many step orders lead to s. Every state moves on by one thread's next step.
Distribution counted_by_states(int increments, bool locked = false) {
  using State = std::tuple<int, int, long, long, long>;
  int steps = 2 * increments;
  std::map<State, long long> paths = {{{0, 0, 0, 0, 0}, 1}};
  Distribution finals;
  for (int taken = 0; taken < 2 * steps; ++taken) {  // every state in `paths` has `taken` steps
    std::map<State, long long> next;
    for (const auto& [state, count] : paths) {
      auto [a, b, r1, r2, x] = state;
      bool a_mid = a % 2 == 1, b_mid = b % 2 == 1;  // loaded, not yet stored
      if (a < steps && !(locked && b_mid))
        next[a_mid ? State{a + 1, b, r1, r2, r1 + 1} : State{a + 1, b, x, r2, x}] += count;
      if (b < steps && !(locked && a_mid))
        next[b_mid ? State{a, b + 1, r1, r2, r2 + 1} : State{a, b + 1, r1, x, x}] += count;
    }
    paths = std::move(next);
  }
  for (const auto& [state, count] : paths) finals[std::get<4>(state)] += count;
  return finals;
}

// Replays the printed sample schedule's (thread, does) column and returns its last x, after
// checking that every printed register and x is what the step gives.
long replay_printed_schedule(const std::string& out, int* rows) {
  static const std::regex kRow(R"(^ +(\d+)  Thread-([12])  (load |store)  r([12]) = (\d+) +x = (\d+)$)");
  long x = 0, r[3] = {0, 0, 0};
  *rows = 0;
  std::smatch m;
  for (const auto& line : lines_of(out)) {
    if (!std::regex_match(line, m, kRow)) continue;
    int t = std::stoi(m[2]);
    EXPECT_EQ(std::stoi(m[1]), ++*rows) << line;
    EXPECT_EQ(std::stoi(m[4]), t) << line;
    if (m[3] == "load ")
      r[t] = x;
    else
      x = r[t] + 1;
    EXPECT_EQ(std::stol(m[5]), r[t]) << line;
    EXPECT_EQ(std::stol(m[6]), x) << line;
  }
  return x;
}

std::vector<std::string> explore(int increments) {
  return {"--explore", "--increments", std::to_string(increments)};
}

}  // namespace

TEST(RaceExploreTest, CountsEverySchedulesFinalValueForOneIncrement) {
  auto r = run_demo("race", "unsafe", explore(1));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Two threads, 1 increment each, as load/store steps: 6 schedules.\n"));
  // By hand: of the 6 orders of L1 S1 L2 S2, only L1 S1 L2 S2 and L2 S2 L1 S1 keep both
  EXPECT_EQ(printed_distribution(r.out), (Distribution{{1, 4}, {2, 2}}));
  EXPECT_EQ(counted_by_states(1), (Distribution{{1, 4}, {2, 2}}));
}

TEST(RaceExploreTest, DistributionMatchesAnIndependentCountForOneToThreeIncrements) {
  const long long schedules[] = {0, 6, 70, 924};
  for (int k = 1; k <= 3; ++k) {
    auto r = run_demo("race", "unsafe", explore(k));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(printed_distribution(r.out), counted_by_states(k)) << "K = " << k << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr(": " + std::to_string(schedules[k]) + " schedules.\n"));
    EXPECT_THAT(r.out, ContainsRegex("check: ok - " + std::to_string(schedules[k]) + " schedules"));
  }
}

TEST(RaceExploreTest, DefaultsToTwoIncrementsAndNeverEndsBelowTwo) {
  auto r = run_demo("race", "unsafe", {"--explore"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto d = printed_distribution(r.out);
  EXPECT_EQ(d, counted_by_states(2));
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d.begin()->first, 2);
  EXPECT_EQ(d.rbegin()->first, 4);
}

TEST(RaceExploreTest, PercentagesAreTheExactSharesRounded) {
  auto r = run_demo("race", "unsafe", explore(3));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (const auto& [x, count] : counted_by_states(3))
    EXPECT_THAT(r.out, HasSubstr(fmt::format("{} schedule{} ({:.1f}%)\n", count, count == 1 ? "" : "s",
                                             100.0 * count / 924)));
}

TEST(RaceExploreTest, SampleScheduleReallyEndsWithTheLowestValue) {
  for (int k = 1; k <= 4; ++k) {
    auto r = run_demo("race", "unsafe", explore(k));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    long lowest = k == 1 ? 1 : 2;
    EXPECT_THAT(r.out, HasSubstr("One schedule that ends with x = " + std::to_string(lowest) + ":\n"));
    int rows = 0;
    EXPECT_EQ(replay_printed_schedule(r.out, &rows), lowest) << r.out;
    EXPECT_EQ(rows, 4 * k);
  }
}

TEST(RaceExploreTest, FourIncrementsCountAllTwelveThousandEightHundredSeventySchedules) {
  auto r = run_demo("race", "unsafe", explore(4));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(printed_distribution(r.out), counted_by_states(4));
  EXPECT_THAT(r.out, HasSubstr("check: ok - 12870 schedules, C(16, 8) = 12870; final x from 2 to 8"));
}

TEST(RaceExploreTest, UnderTheLockEveryScheduleEndsExact) {
  auto r = run_demo("race", "locked", explore(3));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("each increment under the lock: 20 schedules.\n"));
  EXPECT_EQ(printed_distribution(r.out), (Distribution{{6, 20}}));
  EXPECT_EQ(counted_by_states(3, true), (Distribution{{6, 20}}));
}

TEST(RaceExploreTest, SameOutputWithDeterministicAndAnySeed) {
  auto plain = run_demo("race", "unsafe", explore(2), "1");
  auto det = run_demo("race", "unsafe", {"--explore", "--increments", "2", "--deterministic"}, "7");
  ASSERT_EQ(plain.code, 0) << plain.out << plain.err;
  ASSERT_EQ(det.code, 0) << det.out << det.err;
  EXPECT_EQ(plain.out, det.out);
}

TEST(RaceExploreTest, RejectsIncrementsOutsideOneToFour) {
  for (const char* k : {"0", "5"}) {
    auto r = run_cli({"demo", "race", "--explore", "--increments", k});
    EXPECT_EQ(r.code, 2) << k;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("--increments"));
    EXPECT_EQ(r.out, "");
  }
}
