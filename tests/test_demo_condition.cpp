// The condition demo: producers and consumers on a bounded list, logged in the lecture's
// format; the log, read in order, is a list that never holds more than 3 items.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;

namespace {

// 2019-01-27 19:21:19,354 Thread-1          INFO     <message>
const std::regex kConditionLogLine(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (Thread-[1-4]) {10}INFO {5}(.*)$)");
const std::regex kAppended(R"(^Producer notify: item number (\d+) appended, (\d+) in the list$)");
const std::regex kPopped(R"(^Consumer notify: item number (\d+) popped, (\d+) left$)");

}  // namespace

TEST(ConditionDemoTest, EveryLineIsALogLineInTheLecturesFormat) {
  auto r = run_demo("condition", "producer-consumer");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::smatch m;
  for (const auto& line : lines_of(r.out)) {
    if (line.starts_with("Watch: ") || line.starts_with("check: ")) continue;
    ASSERT_TRUE(std::regex_match(line, m, kConditionLogLine)) << "not a log line: '" << line << "'";
    std::string message = m[2];
    bool consumer_side = message == "Consumer is waiting" || std::regex_match(message, kPopped);
    bool producer_side = message == "Producer is waiting: the list is full" || std::regex_match(message, kAppended);
    EXPECT_TRUE(consumer_side || producer_side) << line;
    // Threads 1 and 2 consume, 3 and 4 produce
    if (consumer_side) EXPECT_TRUE(m[1] == "Thread-1" || m[1] == "Thread-2") << line;
    if (producer_side) EXPECT_TRUE(m[1] == "Thread-3" || m[1] == "Thread-4") << line;
  }
  EXPECT_THAT(r.out, HasSubstr("check: ok - the list never held more than 3 items"));
  EXPECT_THAT(r.out, HasSubstr("12/12 items consumed exactly once"));
}

TEST(ConditionDemoTest, LogReplaysAsAListThatNeverOverflowsOrUnderflows) {
  // The lines are logged while the condition is held, so their order is the order of the changes
  for (const char* seed : {"1", "2", "3", "4", "5"}) {
    auto r = run_demo("condition", "producer-consumer", {}, seed);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    std::vector<std::string> list;
    int appended = 0, popped = 0;
    std::smatch m, n;
    for (const auto& line : lines_of(r.out)) {
      if (!std::regex_match(line, m, kConditionLogLine)) continue;
      std::string message = m[2];
      if (std::regex_match(message, n, kAppended)) {
        list.push_back(n[1]);
        ++appended;
        EXPECT_EQ(std::to_string(list.size()), n[2].str()) << line;
        EXPECT_LE(list.size(), 3u) << line;
      } else if (std::regex_match(message, n, kPopped)) {
        ASSERT_FALSE(list.empty()) << "popped from an empty list: " << line;
        EXPECT_EQ(list.front(), n[1].str()) << "not the oldest item: " << line;
        list.erase(list.begin());
        ++popped;
        EXPECT_EQ(std::to_string(list.size()), n[2].str()) << line;
      }
    }
    EXPECT_EQ(appended, 12) << "seed " << seed;
    EXPECT_EQ(popped, 12) << "seed " << seed;
    EXPECT_TRUE(list.empty());
  }
}

TEST(ConditionDemoTest, ConsumersFirstFindTheListEmptyAndWait) {
  auto r = run_demo("condition", "producer-consumer");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  // The consumers start first and the producers sleep 1 s before their first item
  std::smatch m;
  for (const auto& line : lines_of(r.out))
    if (std::regex_match(line, m, kConditionLogLine)) {
      EXPECT_EQ(m[2].str(), "Consumer is waiting") << "first log line: " << line;
      break;
    }
}
