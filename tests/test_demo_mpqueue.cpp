// The mpqueue demo: every item put by one process is got once, in order, by another.
//
// The variant's run function is called directly, in a run at --fast's time scale (or a
// slower one where a test says why) with seed 1, so the test does not depend on the demo
// table (which the CLI tests read).
#include <regex>

#include "cli_fixture.h"
#include "core/run.h"
#include "core/concur.h"
#include "demos/demos.h"

namespace {

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct MpqueueRun {
  concur::demos::Check check;
  std::string out;
  std::string err;
};

MpqueueRun run_variant(concur::demos::RunFn run, double time_scale = 0.002 /* --fast */) {
  std::ostringstream out, err;
  concur::RunOptions options;
  options.time_scale = time_scale;
  options.seed = 1;
  concur::begin_run(options, out, err);
  concur::demos::Check check{false, ""};
  try {
    check = run({});
  } catch (...) {
    concur::end_run();
    throw;
  }
  concur::end_run();
  return {check, out.str(), err.str()};
}

// At 0.02 (a lecture second is 20 ms): the consumer pops all ten only while the producer
// keeps ahead of it, and at --fast a loaded machine or a sanitizer can hold the producer
// back for the 2 lecture seconds (4 ms) it is ahead by. About 0.6 s real.
TEST(MpqueueDemoTest, TheConsumerPopsEveryItemTheProducerAppendedInOrder) {
  auto r = run_variant(concur::demos::run_mpqueue_producer_consumer, 0.02);
  ASSERT_TRUE(r.check.held) << r.check.message << "\n" << r.out << r.err;
  auto appended = captures(r.out, std::regex(R"(Process Producer : item (\d+) appended to queue producer-1)"));
  auto popped = captures(r.out, std::regex(R"(Process Consumer : item (\d+) popped from by consumer-2)"));
  EXPECT_EQ(appended.size(), 10u);
  EXPECT_EQ(popped, appended);
  EXPECT_TRUE(has_line(r.out, R"(The size of queue is \d+)"));
  EXPECT_EQ(demo_lines(r.out).back(), "the queue is empty");
  EXPECT_THAT(r.check.message, HasSubstr("the producer put 10 items; the consumer got 10 of them, in order: yes"));
}

TEST(MpqueueDemoTest, TheFirstItemIsInTheQueueBeforeTheConsumerLooks) {
  for (int run = 0; run < 3; ++run) {
    auto r = run_variant(concur::demos::run_mpqueue_producer_consumer);
    auto lines = demo_lines(r.out);
    ASSERT_FALSE(lines.empty()) << run;
    EXPECT_NE(lines.front(), "the queue is empty") << run;
    EXPECT_TRUE(r.check.held) << r.check.message;
  }
}

TEST(MpqueueDemoTest, TheConsumerGetsWhatTheProducerPutAndTheParentEveryMessage) {
  auto r = run_variant(concur::demos::run_mpqueue_messages);
  ASSERT_TRUE(r.check.held) << r.check.message << "\n" << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out),
              ElementsAre("Produced: 0", "Produced: 1", "Produced: 2", "Produced: 3", "Produced: 4", "Consumed: 0",
                          "Consumed: 1", "Consumed: 2", "Consumed: 3", "Consumed: 4",
                          "Parent received from queue: Message 0 from child process",
                          "Parent received from queue: Message 1 from child process",
                          "Parent received from queue: Message 2 from child process",
                          "Parent received from queue: Message 3 from child process",
                          "Parent received from queue: Message 4 from child process"));
}

TEST(MpqueueDemoTest, TheDocsListCrossesFromTheChildWhole) {
  auto r = run_variant(concur::demos::run_mpqueue_docs);
  ASSERT_TRUE(r.check.held) << r.check.message << "\n" << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("[42, None, 'hello']"));
}

}  // namespace
