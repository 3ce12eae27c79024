// The rlock demo: the lecture's Box with an RLock counts down both threads and keeps the
// total exact; the same Box with a plain Lock deadlocks on box.lock, is reported, and ends.
#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The lecture's printed lines (001 "Implementing RLock").
const std::regex kToAdd(R"(^N° (\d+) items to ADD$)");
const std::regex kToRemove(R"(^N° (\d+) items to REMOVE$)");
const std::regex kAdded(R"(^ADDED one item -->(\d+) item to ADD$)");
const std::regex kRemoved(R"(^REMOVED one item -->(\d+) item to REMOVE$)");

// The numbers the lines matching `re` carry, in order.
std::vector<int> numbers(const std::string& out, const std::regex& re) {
  std::vector<int> found;
  std::smatch m;
  for (const auto& line : lines_of(out))
    if (std::regex_match(line, m, re)) found.push_back(std::stoi(m[1]));
  return found;
}

}  // namespace

TEST(RLockDemoTest, RLockVariantPrintsOnlyTheLecturesLines) {
  auto r = run_demo("rlock", "rlock");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (const auto& line : lines_of(r.out)) {
    if (line.starts_with("Watch: ") || line.starts_with("check: ")) continue;
    bool lecture = std::regex_match(line, kToAdd) || std::regex_match(line, kToRemove) ||
                   std::regex_match(line, kAdded) || std::regex_match(line, kRemoved);
    EXPECT_TRUE(lecture) << "unexpected line: '" << line << "'";
  }
  EXPECT_THAT(r.out, HasSubstr("\nADDED one item -->0 item to ADD\n"));
  EXPECT_THAT(r.out, HasSubstr("\nREMOVED one item -->0 item to REMOVE\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("Deadlock")));
}

TEST(RLockDemoTest, EachThreadCountsDownFromItsDrawToZero) {
  for (const char* seed : {"1", "2", "3"}) {
    auto r = run_demo("rlock", "rlock", {}, seed);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto adds = numbers(r.out, kToAdd);
    auto removes = numbers(r.out, kToRemove);
    ASSERT_EQ(adds.size(), 1u);
    ASSERT_EQ(removes.size(), 1u);
    EXPECT_GE(adds[0], 10);
    EXPECT_LE(adds[0], 20);
    EXPECT_GE(removes[0], 1);
    EXPECT_LE(removes[0], 10);
    std::vector<int> expected_added, expected_removed;
    for (int n = adds[0] - 1; n >= 0; --n) expected_added.push_back(n);
    for (int n = removes[0] - 1; n >= 0; --n) expected_removed.push_back(n);
    EXPECT_EQ(numbers(r.out, kAdded), expected_added);
    EXPECT_EQ(numbers(r.out, kRemoved), expected_removed);
  }
}

TEST(RLockDemoTest, RLockVariantEndsWithTotalItemsEqualToAddsMinusRemoves) {
  auto r = run_demo("rlock", "rlock", {}, "5");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::smatch m;
  std::string out = r.out;
  ASSERT_TRUE(
      std::regex_search(out, m, std::regex(R"(check: ok - total_items = (-?\d+) = (\d+) added - (\d+) removed)")))
      << r.out;
  EXPECT_EQ(std::stoi(m[1]), std::stoi(m[2]) - std::stoi(m[3]));
  EXPECT_EQ(std::stoi(m[2]), numbers(r.out, kToAdd).at(0));
  EXPECT_EQ(std::stoi(m[3]), numbers(r.out, kToRemove).at(0));
}

TEST(RLockDemoTest, PlainLockVariantReportsTheSelfDeadlockOnBoxLockAndEndsCleanly) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_demo("rlock", "lock", {"--timeout", "10"});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_LT(seconds, 2.5);
  EXPECT_TRUE(
      has_line(r.out, R"(Deadlock detected: Thread-[12] \((adder|remover)\) waits for a lock it holds itself\.)"))
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("holds box.lock, waits for box.lock held by"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - a plain Lock is not re-entrant"));
  // Neither thread ever got past its first add() or remove().
  EXPECT_TRUE(has_line(r.out, R"(N° \d+ items to ADD)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(N° \d+ items to REMOVE)")) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("ADDED one item")));
  EXPECT_THAT(r.out, Not(HasSubstr("REMOVED one item")));
  EXPECT_THAT(r.out, HasSubstr("total_items = 0"));
}

TEST(RLockDemoTest, PlainLockVariantReportsTheSecondThreadOnceTheFirstIsUnwound) {
  // The first thread's guard frees box.lock as it unwinds; the other thread takes it and
  // blocks on its own nested acquire in turn, which is reported too.
  auto r = run_demo("rlock", "lock", {"--timeout", "10"}, "2");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  int reports = 0;
  for (const auto& line : lines_of(r.out)) reports += line.starts_with("Deadlock detected: ");
  EXPECT_EQ(reports, 2) << r.out;
  EXPECT_THAT(r.out, HasSubstr("Thread-1 (adder) holds box.lock"));
  EXPECT_THAT(r.out, HasSubstr("Thread-2 (remover) holds box.lock"));
}
