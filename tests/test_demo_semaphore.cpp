// The semaphore demo: a Semaphore(0) hands each producer's item to its consumer, logged in
// the lecture's format 3 lecture seconds apart; a Semaphore(n) never lets more than n in.
#include <algorithm>
#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;

namespace {

// One line of the lecture's log (001 "Implementing semaphore"):
// "2019-01-27 19:21:19,354 Thread-1          INFO     Consumer is waiting".
const std::regex kSemaphoreLogLine(
    R"(^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) (Thread-\d+) +INFO {5})"
    R"((Consumer is waiting|Producer notify: item number (\d+)|Consumer notify: item number (\d+))$)");

struct LogLine {
  long long ms;  // the timestamp, in milliseconds since the epoch (as if UTC)
  int thread;    // N of Thread-N
  std::string message;
  int item = -1;  // the item number, for the notify lines
};

std::vector<LogLine> log_lines(const std::string& out) {
  std::vector<LogLine> found;
  std::smatch m;
  for (const auto& line : lines_of(out)) {
    if (!std::regex_match(line, m, kSemaphoreLogLine)) continue;
    std::tm tm{};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = std::stoi(m[4]);
    tm.tm_min = std::stoi(m[5]);
    tm.tm_sec = std::stoi(m[6]);
    LogLine l{timegm(&tm) * 1000LL + std::stoi(m[7]), std::stoi(m[8].str().substr(7)), m[9]};
    if (m[10].matched) l.item = std::stoi(m[10]);
    if (m[11].matched) l.item = std::stoi(m[11]);
    found.push_back(l);
  }
  return found;
}

// The most threads between their `in` line and their `out` line at any point of `lines`.
int most_inside(const std::vector<std::string>& lines, const std::regex& in, const std::regex& out) {
  int inside = 0, most = 0;
  for (const auto& line : lines) {
    if (std::regex_match(line, in)) most = std::max(most, ++inside);
    if (std::regex_match(line, out)) --inside;
  }
  return most;
}

}  // namespace

TEST(SemaphoreDemoTest, EveryVariantExitsZeroWithItsCheckHeld) {
  for (const char* variant : {"event", "limit", "workers-4", "workers-5"}) {
    auto r = run_demo("semaphore", variant);
    EXPECT_EQ(r.code, 0) << variant << "\n" << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("check: ok - ")) << variant;
  }
}

TEST(SemaphoreDemoTest, EventVariantLogsTwentyThreadsInTheLecturesFormat) {
  auto r = run_demo("semaphore", "event");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  for (const auto& line : demo_lines(r.out)) EXPECT_TRUE(std::regex_match(line, kSemaphoreLogLine)) << line;
  EXPECT_TRUE(has_line(r.out, R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} Thread-1 {10}INFO {5}Consumer is waiting)"))
      << r.out;
  EXPECT_TRUE(
      has_line(r.out, R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} Thread-2 {10}INFO {5}Producer notify: item number \d+)"))
      << r.out;
  EXPECT_TRUE(
      has_line(r.out, R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} Thread-20 {9}INFO {5}Producer notify: item number \d+)"))
      << r.out;
  auto lines = log_lines(r.out);
  ASSERT_EQ(lines.size(), 30u) << r.out;
  // Round k: the consumer Thread-(2k-1) waits, the producer Thread-2k notifies, the consumer notifies.
  for (int k = 1; k <= 10; ++k) {
    const auto* round = &lines[3 * (k - 1)];
    EXPECT_EQ(round[0].thread, 2 * k - 1);
    EXPECT_EQ(round[0].message, "Consumer is waiting");
    EXPECT_EQ(round[1].thread, 2 * k);
    EXPECT_TRUE(round[1].message.starts_with("Producer notify: item number "));
    EXPECT_EQ(round[2].thread, 2 * k - 1);
    EXPECT_TRUE(round[2].message.starts_with("Consumer notify: item number "));
  }
}

TEST(SemaphoreDemoTest, ConsumerLogsTheItemTheProducerMade) {
  for (const char* seed : {"1", "2"}) {
    auto r = run_demo("semaphore", "event", {}, seed);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    std::map<int, int> made, consumed;  // by round
    for (const auto& l : log_lines(r.out)) {
      if (l.message.starts_with("Producer notify")) made[l.thread / 2] = l.item;
      if (l.message.starts_with("Consumer notify")) consumed[(l.thread + 1) / 2] = l.item;
    }
    ASSERT_EQ(made.size(), 10u);
    EXPECT_EQ(consumed, made);
    for (const auto& [round, item] : made) {
      EXPECT_GE(item, 0);
      EXPECT_LE(item, 1000);
    }
    EXPECT_THAT(r.out, HasSubstr("check: ok - each consumer logged the item its producer made (10/10 rounds)"));
  }
}

TEST(SemaphoreDemoTest, ProducerNotifiesComeThreeLectureSecondsApart) {
  // At --fast a lecture second is 2 ms, so a millisecond of scheduling noise between rounds
  // (thread start-up and joins) reads as half a lecture second. At 50 ms a lecture second
  // the 0.2 s tolerance is 10 ms of real noise; the run takes 1.5 s.
  auto r =
      run_cli({"demo", "semaphore", "--variant", "event", "--time-scale", "0.05", "--seed", "1", "--color", "never"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<long long> notified, gaps;
  for (const auto& l : log_lines(r.out))
    if (l.message.starts_with("Producer notify")) notified.push_back(l.ms);
  ASSERT_EQ(notified.size(), 10u);
  for (std::size_t i = 1; i < notified.size(); ++i) gaps.push_back(notified[i] - notified[i - 1]);
  // A producer sleeps 3 s after it starts, which is after the previous one notified: no gap
  // is shorter. A loaded machine stretches rounds (each by its thread starts and wake-ups, a
  // few ms of real time); the typical gap stays within a lecture second (50 ms) of 3 s, where
  // a producer that slept twice as long would be 6 s.
  for (long long gap : gaps) EXPECT_GE(gap, 3000 - 200) << r.out;
  std::sort(gaps.begin(), gaps.end());
  EXPECT_LE(gaps[gaps.size() / 2], 4000) << r.out;
}

TEST(SemaphoreDemoTest, LimitVariantPrintsTheLecturesLinesInEachThreadsOrder) {
  auto r = run_demo("semaphore", "limit");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 25u) << r.out;
  EXPECT_EQ(lines.back(), "All threads have finished.");
  for (int n = 1; n <= 3; ++n) {
    std::string me = "Thread " + std::to_string(n) + ": ";
    std::vector<std::string> mine;
    for (const auto& line : lines)
      if (line.starts_with(me)) mine.push_back(line.substr(me.size()));
    std::vector<std::string> expected = {"Waiting", "Acquired the semaphore"};
    for (int i = 0; i < 5; ++i) expected.push_back("In process");
    expected.push_back("Released the semaphore.");
    EXPECT_EQ(mine, expected) << "thread " << n;
  }
  EXPECT_TRUE(
      has_line(r.out, R"(check: ok - Semaphore\(2\): at most [12] of 3 threads held it at once .*; 3/3 got in)"))
      << r.out;
}

TEST(SemaphoreDemoTest, FourWorkersNeverHaveMoreThanTwoInsideAtOnce) {
  auto r = run_demo("semaphore", "workers-4");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 8u) << r.out;
  for (const auto& line : lines)
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(^Thread-[0-3] (is working\.\.\.|finished)$)"))) << line;
  for (int i = 0; i < 4; ++i) {
    std::string name = "Thread-" + std::to_string(i);
    auto working = std::find(lines.begin(), lines.end(), name + " is working...");
    auto finished = std::find(lines.begin(), lines.end(), name + " finished");
    ASSERT_NE(working, lines.end()) << name;
    EXPECT_LT(working, finished) << name;
  }
  // A worker prints "finished" before it leaves the `with`, "is working..." after it enters.
  // (Two are inside together on almost every run, but a loaded machine may keep them apart.)
  EXPECT_LE(most_inside(lines, std::regex(R"(.* is working\.\.\.)"), std::regex(R"(.* finished)")), 2);
  EXPECT_TRUE(has_line(r.out, R"(check: ok - Semaphore\(2\): at most [12] of 4 threads held it at once .*)")) << r.out;
}

TEST(SemaphoreDemoTest, FiveWorkersNeverHaveMoreThanThreeInsideAtOnce) {
  auto r = run_demo("semaphore", "workers-5");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 10u) << r.out;
  for (const auto& line : lines)
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(^Thread [0-4] (is working\.\.\.|is done\.)$)"))) << line;
  EXPECT_TRUE(has_line(r.out, R"(Thread 0 is working\.\.\.)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(Thread 4 is done\.)")) << r.out;
  EXPECT_LE(most_inside(lines, std::regex(R"(.* is working\.\.\.)"), std::regex(R"(.* is done\.)")), 3);
  EXPECT_TRUE(has_line(r.out, R"(check: ok - Semaphore\(3\): at most [123] of 5 threads held it at once .*)")) << r.out;
}
