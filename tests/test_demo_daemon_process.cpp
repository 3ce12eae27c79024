// The daemon-process demo: daemonic children are terminated at the end of main, others run on.
#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// At a time scale where the daemon's 5 s (0.25 s) outlast starting two processes even under
// a sanitizer on a loaded machine: the lesson itself shows.
TEST(DaemonProcessDemoTest, TheDaemonIsTerminatedAndOnlyTheOtherCountsToTheEnd) {
  auto r = concur::testing::run_cli(
      {"demo", "daemon-process", "--variant", "background", "--time-scale", "0.05", "--seed", "1", "--color", "never"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  for (const char* l : {"Starting NO_background_process", "---> 5", "---> 9", "Exiting NO_background_process"})
    EXPECT_THAT(lines, Contains(l));
  EXPECT_THAT(lines, Not(Contains("Exiting background_process")));
  EXPECT_THAT(r.out, HasSubstr("background_process exit code -15"));
}

// --fast runs background at 0.05, not 2 ms a lecture second, at which starting two processes
// on a loaded machine could outlast the daemon's count: it says so, and the daemon is killed.
TEST(DaemonProcessDemoTest, FastRunsBackgroundWhereTheDaemonIsStillCountingWhenMainEnds) {
  auto r = run_demo("daemon-process", "background");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("(--fast runs this variant at --time-scale 0.05, the fastest its lesson shows at)\n"));
  EXPECT_THAT(r.out, HasSubstr("background_process exit code -15 (terminated at the end of main)"));
  EXPECT_THAT(demo_lines(r.out), Not(Contains("Exiting background_process")));
}

TEST(DaemonProcessDemoTest, WithoutDaemonBothProcessesRunToTheEnd) {
  auto r = run_demo("daemon-process", "no-daemon");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  EXPECT_THAT(lines, Contains("Exiting background_process"));
  EXPECT_THAT(lines, Contains("Exiting NO_background_process"));
  EXPECT_THAT(lines, Contains("---> 4"));
  EXPECT_THAT(lines, Contains("---> 9"));
}

TEST(DaemonProcessDemoTest, TheHelloDaemonEndsWithMainWhileTheWorkerFinishes) {
  auto r = run_demo("daemon-process", "hello");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("starting my Process\n"));
  EXPECT_THAT(r.out, HasSubstr("ending my Process\n"));
  EXPECT_THAT(r.out, HasSubstr("exit code -15 (terminated at the end of main)"));
}
