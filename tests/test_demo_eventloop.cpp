// The eventloop demo: asyncio's loop API, one lecture example per variant, in order.
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EventLoopDemoTest, CallSoonPrintsHelloWorldFromTheLoopAfterCallSoonReturned) {
  auto r = run_demo("eventloop", "call-soon");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("Hello World"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - hello_world ran 1 time(s), after call_soon() had returned"));
}

TEST(EventLoopDemoTest, CallLaterRunsCallbacksInTheOrderOfTheirDelaysNotOfScheduling) {
  auto r = run_demo("eventloop", "call-later");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(captures(r.out, std::regex(R"(callback ([0-9]): loop\.time\(\) - start = [0-9]+\.[0-9])")),
              ElementsAre("1", "2", "3"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - the callbacks ran in the order of their delays \\(1, 2, 3\\)"));
}

TEST(EventLoopDemoTest, RunForeverTicksEverySecondUntilACallbackCallsStop) {
  auto r = run_demo("eventloop", "run-forever");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_THAT(lines[0], ContainsRegex("^tick 1 at [0-9]+\\.[0-9] s$"));
  EXPECT_THAT(lines.back(), ContainsRegex("^run_forever\\(\\) returned at [0-9]+\\.[0-9] s$"));
  int stops = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    bool stop = std::regex_match(lines[i], std::regex(R"(loop\.stop\(\) at [0-9]+\.[0-9] s)"));
    stops += stop;
    if (!stop) EXPECT_THAT(lines[i], ContainsRegex("^tick [0-9] at ")) << i;
  }
  EXPECT_EQ(stops, 1) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - [1-5] ticks, at least a second apart, then loop\\.stop\\(\\) at "
                                   "3\\.5 s: run_forever\\(\\) returned at [0-9.]+ s, once the loop's turn was done"));
}

TEST(EventLoopDemoTest, FuturePrintsTheResultItsCoroutineSetAfterTwoSeconds) {
  auto r = run_demo("eventloop", "future");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("Future Completed"));
  EXPECT_THAT(r.out, ContainsRegex("check: ok - run_until_complete\\(future\\) returned after [0-9]+\\.[0-9] s"));
}

TEST(EventLoopDemoTest, CoroutineRunsInsideRunUntilComplete) {
  auto r = run_demo("eventloop", "coroutine");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("First Coroutine"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - Myoperation() ran inside run_until_complete"));
}

TEST(EventLoopDemoTest, TasksRunAfterTasksCompletedOneAfterAnotherBecauseTimeSleepBlocks) {
  auto r = run_demo("eventloop", "tasks");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> expected = {"Tasks Completed"};
  for (int i = 0; i < 10; ++i) expected.push_back("Processing " + std::to_string(i));
  EXPECT_EQ(demo_lines(r.out), expected);
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 10 tasks ran after 'Tasks Completed', in order, one after another: "
                                   "[0-9]+\\.[0-9] lecture s in all, not 1"));
}

TEST(EventLoopDemoTest, AllRunsTheSixExamplesInTheLecturesOrderEachOnAFreshLoop) {
  auto r = run_demo("eventloop", "all");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  std::vector<std::string> firsts;
  for (const auto& line : lines)
    if (line == "Hello World" || line.starts_with("callback 1:") || line.starts_with("tick 1 ") ||
        line == "Future Completed" || line == "First Coroutine" || line == "Tasks Completed")
      firsts.push_back(line.substr(0, 6));
  EXPECT_THAT(firsts, ElementsAre("Hello ", "callba", "tick 1", "Future", "First ", "Tasks ")) << r.out;
  EXPECT_EQ(lines.back(), "Processing 9");
  EXPECT_THAT(r.out, HasSubstr("check: ok - all six examples held"));
}
