// The terminate demo: SIGTERM ends the child (exit code -15) before it finishes.
#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(TerminateDemoTest, TheEndlessWorkerRunsUntilTerminatedThenMainSaysSo) {
  auto r = run_demo("terminate", "loop");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines.back(), "Process terminated");
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i], "Running...");
  EXPECT_THAT(r.out, HasSubstr("exit code -15"));
}

// At a time scale where the child's 5 s (0.25 s) outlast starting it even under a sanitizer
// on a loaded machine: the lesson itself shows. (At --fast, a start slower than 10 ms lets
// the child finish first, which the check allows, as the daemon-process demo's does.)
TEST(TerminateDemoTest, AChildTerminatedEarlyNeverPrintsFinished) {
  auto r = concur::testing::run_cli(
      {"demo", "terminate", "--variant", "early", "--time-scale", "0.05", "--seed", "1", "--color", "never"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("My Process has terminated, terminating main thread\n"
                               "Terminating Child Process\n"));
  EXPECT_THAT(r.out, HasSubstr("Child Process successfully terminated\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("Finished function")));
  EXPECT_THAT(r.out, HasSubstr("the child was killed by SIGTERM before finishing: exit code -15"));
}
