// The csp demo: PyCSP's Parallel of two processes, and two processes joined by channels.
#include <fmt/format.h>

#include <regex>

#include "cli_fixture.h"

namespace concur::testing {
namespace {

using ::testing::HasSubstr;

TEST(CspDemoTest, ParallelPrintsBothExitsBeforeTerminating) {
  auto r = run_demo("csp", "parallel");
  ASSERT_EQ(r.code, 0) << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_TRUE((lines[0] == "P1 exiting" && lines[1] == "P2 exiting") ||
              (lines[0] == "P2 exiting" && lines[1] == "P1 exiting"))
      << r.out;
  EXPECT_EQ(lines[2], "Terminating");
}

TEST(CspDemoTest, NetworkAnswersEveryNumberWithItsSquareOverTwoChannels) {
  auto r = run_demo("csp", "network");
  ASSERT_EQ(r.code, 0) << r.err;
  for (int n = 1; n <= 5; ++n) {
    EXPECT_THAT(r.out, HasSubstr(fmt::format("Process1 sent {} on channel 1", n)));
    EXPECT_THAT(r.out, HasSubstr(fmt::format("Process2 received {} on channel 1, sent {} on channel 2", n, n * n)));
    EXPECT_THAT(r.out, HasSubstr(fmt::format("Process1 received {} on channel 2", n * n)));
  }
  EXPECT_THAT(r.out, HasSubstr("Process1: channel 2 retired after 5 answers"));
  auto lines = demo_lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "Terminating");
}

}  // namespace
}  // namespace concur::testing
