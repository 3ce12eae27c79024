// The queue demo: producer/consumer lines from the lecture, a None sentinel, a sequential
// hand-over, and FIFO, LIFO and priority orders with one thread or several.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST(QueueDemoTest, ProducerConsumerEveryAppendedItemIsPoppedOnceByAConsumer) {
  auto r = run_demo("queue", "producer-consumer");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto appended = captures(r.out, std::regex(R"(^Producer notify : item N°(\d+) appended to queue by Thread-1$)"));
  auto popped = captures(r.out, std::regex(R"(^Consumer notify : (\d+) popped from queue by Thread-[234]$)"));
  ASSERT_EQ(appended.size(), 5u) << r.out;
  EXPECT_EQ(sorted(appended), sorted(popped)) << r.out;
  for (const auto& item : appended) EXPECT_LE(std::stoi(item), 256);
  EXPECT_EQ(demo_lines(r.out).size(), 10u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("check: ok - 5/5 items consumed exactly once"));
}

TEST(QueueDemoTest, SentinelConsumerGetsTheProducersItemsInOrderThenStops) {
  auto r = run_demo("queue", "sentinel");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto produced = captures(r.out, std::regex(R"(^Produced: (\d+)$)"));
  auto consumed = captures(r.out, std::regex(R"(^Consumed: (\d+)$)"));
  ASSERT_EQ(produced.size(), 10u) << r.out;
  EXPECT_EQ(consumed, produced);
  for (const auto& item : produced) EXPECT_TRUE(std::stoi(item) >= 1 && std::stoi(item) <= 100) << item;
  auto lines = demo_lines(r.out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2], "Consumer finished processing.");
  EXPECT_EQ(lines.back(), "All threads have finished.");
  EXPECT_THAT(r.out, HasSubstr("check: ok - 10/10 items consumed exactly once, in the order they were produced"));
}

TEST(QueueDemoTest, SequentialProducesEverythingBeforeTheConsumerStarts) {
  auto r = run_demo("queue", "sequential");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(demo_lines(r.out),
            (std::vector<std::string>{"Produced: 0", "Produced: 1", "Produced: 2", "Produced: 3", "Produced: 4",
                                      "Consumed: 0", "Consumed: 1", "Consumed: 2", "Consumed: 3", "Consumed: 4"}));
  EXPECT_THAT(r.out, HasSubstr("check: ok - 5/5 items consumed exactly once"));
}

TEST(QueueDemoTest, SingleThreadFifoGetsItemsInTheOrderTheyWerePut) {
  auto r = run_demo("queue", "kinds", {"--kind", "fifo", "--threads", "0"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(demo_lines(r.out),
            std::vector<std::string>{"item-0 item-1 item-2 item-3 item-4 item-5 item-6 item-7"});
  EXPECT_THAT(r.out, HasSubstr("check: ok - 8 items came out once each, in FIFO order"));
}

TEST(QueueDemoTest, SingleThreadLifoGetsItemsInReverse) {
  auto r = run_demo("queue", "kinds", {"--kind", "lifo", "--threads", "0"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(demo_lines(r.out),
            std::vector<std::string>{"item-7 item-6 item-5 item-4 item-3 item-2 item-1 item-0"});
  EXPECT_THAT(r.out, HasSubstr("in LIFO order"));
}

TEST(QueueDemoTest, SingleThreadPriorityGetsTheLowestNumberFirst) {
  auto r = run_demo("queue", "kinds", {"--kind", "priority", "--threads", "0"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(demo_lines(r.out), (std::vector<std::string>{"1 - Most Urgent", "2 - Urgent", "5 - Important",
                                                            "10 - Nothing important"}));
  EXPECT_THAT(r.out, HasSubstr("in priority (lowest first) order"));
}

// Three threads share the queue: the lines may print out of order, but the removals the
// queue made (in the check line) follow the kind's order, and every item is removed once.
void expect_three_threads_remove(const std::string& kind, const std::string& order) {
  auto r = run_demo("queue", "kinds", {"--kind", kind, "--threads", "3"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto removed = captures(r.out, std::regex(R"(^<Thread\(Thread-[123], started \d+\)> removed (\d) from the queue$)"));
  std::vector<std::string> expected;
  for (char c : order)
    if (c != ' ') expected.push_back(std::string(1, c));
  EXPECT_EQ(sorted(removed), sorted(expected)) << r.out;
  EXPECT_EQ(demo_lines(r.out).size(), expected.size()) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - " + std::to_string(expected.size()) +
                                   " items removed once each by ([23] of )?3 threads, in .* order \\(" + order +
                                   "\\)"));
}

TEST(QueueDemoTest, ThreeThreadsRemoveFifoItemsOnceEachInPutOrder) { expect_three_threads_remove("fifo", "0 1 2 3 4"); }

TEST(QueueDemoTest, ThreeThreadsRemoveLifoItemsOnceEachInReverse) { expect_three_threads_remove("lifo", "4 3 2 1 0"); }

TEST(QueueDemoTest, ThreeThreadsRemovePriorityItemsLowestFirstBothCopies) {
  expect_three_threads_remove("priority", "0 0 1 1 2 2 3 3 4 4");
}

// The lecture's multi-thread output shows the threads taking turns. At 2 ms a lecture second
// the first could empty the queue before a loaded machine started the next, so --fast runs
// kinds at 0.05 and says so; the check asks that more than one thread removed items.
TEST(QueueDemoTest, FourThreadsTakeTurnsAtFast) {
  auto r = run_demo("queue", "kinds", {"--threads", "4"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("(--fast runs this variant at --time-scale 0.05, the fastest its lesson shows at)\n"));
  EXPECT_THAT(r.out, ContainsRegex("by ([234] of )?4 threads, in FIFO order"));
}

TEST(QueueDemoTest, KindsOrderHoldsOverManySeedsAndThreadCounts) {
  for (const char* kind : {"fifo", "lifo", "priority"})
    for (const char* threads : {"1", "2", "4", "8"})
      for (const char* seed : {"1", "2"}) {
        auto r = run_demo("queue", "kinds", {"--kind", kind, "--threads", threads}, seed);
        EXPECT_EQ(r.code, 0) << kind << " threads " << threads << "\n" << r.out << r.err;
        EXPECT_THAT(r.out, HasSubstr("as the queue made them")) << kind << " " << threads;
      }
}
