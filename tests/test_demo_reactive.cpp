// The reactive demo: an Observable pushing names to an Observer, and a map/filter/reduce
// pipeline.
#include <string>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ReactiveDemoTest, ObserverReceivesEveryNameInOrderThenFinished) {
  auto r = run_demo("reactive", "rxpy");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 7u) << r.out;
  EXPECT_THAT(std::vector<std::string>(lines.begin(), lines.begin() + 4),
              ElementsAre("Received Ram", "Received Mohan", "Received Shyam", "Finished"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - the observer received 3 of 3 names in order, then Finished"));
}

TEST(ReactiveDemoTest, AFailingSourceEndsWithOnErrorAndNeverFinished) {
  auto r = run_demo("reactive", "rxpy");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 7u) << r.out;
  EXPECT_EQ(lines[4], "Received Ram");
  EXPECT_EQ(lines[5], "Received Mohan");
  EXPECT_THAT(lines[6], StartsWith("Error: "));
  EXPECT_THAT(r.out, HasSubstr("observer 2 of 2, then on_error and nothing more"));
}

TEST(ReactiveDemoTest, PipelineDoublesFiltersAndSumsToSix) {
  auto r = run_demo("reactive", "pyfunctional");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("Result: 6"));
  EXPECT_THAT(r.out, HasSubstr("check: ok - seq(1, 2, 3) mapped to 2, 4, 6, filtered to 6, reduced to 6"));
}

TEST(ReactiveDemoTest, AllRunsRxpyThenPyfunctional) {
  auto r = run_demo("reactive", "all");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 8u) << r.out;
  EXPECT_EQ(lines.front(), "Received Ram");
  EXPECT_EQ(lines.back(), "Result: 6");
}
