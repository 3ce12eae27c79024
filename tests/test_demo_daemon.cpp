// The daemon demo: a daemon still running when main finishes is stopped by the exit, never
// joined; a non-daemon thread is waited for.
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;

namespace {

int count_lines(const std::string& out, const std::string& text) {
  int n = 0;
  for (const auto& line : lines_of(out))
    if (line == text) ++n;
  return n;
}

// The index of the first line of `out` equal to `text`, or -1.
int line_index(const std::string& out, const std::string& text) { return index_of(lines_of(out), text); }

const char* kStoppedByExit = "check: ok - the daemon was still running when main finished and was stopped by the exit, not joined";

}  // namespace

TEST(DaemonDemoTest, BackgroundVariantRunsBesideMainUntilMainExits) {
  auto r = run_demo("daemon", "background");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_GE(count_lines(r.out, "Background task is running..."), 1) << r.out;
  EXPECT_EQ(count_lines(r.out, "Main program exiting..."), 1);
  EXPECT_THAT(r.out, HasSubstr(kStoppedByExit));
}

TEST(DaemonDemoTest, DaemonVariantPrintsItsFirstLineAndIsStoppedInItsSleep) {
  auto r = run_demo("daemon", "daemon");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_GE(count_lines(r.out, "Daemon thread is running."), 1) << r.out;
  EXPECT_EQ(count_lines(r.out, "Main program exiting."), 1);
  EXPECT_THAT(r.out, HasSubstr(kStoppedByExit));
}

TEST(DaemonDemoTest, HelloVariantSaysHelloWhileTheNonDaemonThreadSleepsAndEnds) {
  auto r = run_demo("daemon", "hello");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  int start = line_index(r.out, "starting my thread"), end = line_index(r.out, "ending my thread");
  ASSERT_GE(start, 0) << r.out;
  EXPECT_GT(end, start) << r.out;
  EXPECT_GE(count_lines(r.out, "Hello"), 1) << r.out;
  for (const auto& line : lines_of(r.out))
    if (!line.starts_with("Watch: ") && !line.starts_with("check: "))
      EXPECT_TRUE(line == "Hello" || line == "starting my thread" || line == "ending my thread") << line;
  EXPECT_THAT(r.out, HasSubstr(kStoppedByExit));
  EXPECT_THAT(r.out, HasSubstr("main waited for the non-daemon thread's 8 s"));
}

TEST(DaemonDemoTest, TheDaemonIsStoppedByTheExitInTenOfTenRunsOfEachVariant) {
  for (const char* variant : {"background", "daemon", "hello"})
    for (int seed = 1; seed <= 10; ++seed) {
      auto r = run_demo("daemon", variant, {}, std::to_string(seed));
      EXPECT_EQ(r.code, 0) << variant << " seed " << seed << "\n" << r.out << r.err;
      EXPECT_THAT(r.out, HasSubstr(kStoppedByExit)) << variant;
    }
}
