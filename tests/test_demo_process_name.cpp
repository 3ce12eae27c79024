// The process-name demo: Process-N counts named processes too; MainProcess; the current PID;
// MyProcess-N.
#include <unistd.h>

#include <algorithm>
#include <string>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST(ProcessNameDemoTest, TheDefaultNameIsProcess2BecauseTheNamedOneCounted) {
  auto r = run_demo("process-name", "naming");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  EXPECT_THAT(lines, UnorderedElementsAre("Starting process name = myFunc process", "Starting process name = Process-2",
                                          "Exiting process name = myFunc process", "Exiting process name = Process-2"));
  // Each process starts before it exits; how the two interleave is up to the OS (a slow
  // machine may finish the first before the second starts).
  for (const std::string name : {"myFunc process", "Process-2"}) {
    auto at = [&](const std::string& line) { return std::find(lines.begin(), lines.end(), line) - lines.begin(); };
    EXPECT_LT(at("Starting process name = " + name), at("Exiting process name = " + name)) << r.out;
  }
}

// 004's one-line snippet: print(multiprocessing.current_process().pid). The demo runs in this
// test's process, so the number is the test's own PID.
TEST(ProcessNameDemoTest, PidOnlyPrintsTheCurrentProcesssPidAndNothingElse) {
  auto r = run_demo("process-name", "pid-only");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre(std::to_string(::getpid())));
  EXPECT_THAT(r.out, HasSubstr("check: ok - printed " + std::to_string(::getpid()) + ", the PID of MainProcess"));
}

TEST(ProcessNameDemoTest, MainAndChildPrintDifferentPids) {
  auto r = run_demo("process-name", "pid");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto main_pid = captures(r.out, std::regex(R"(PID of Main process is: (\d+))"));
  auto child_pid = captures(r.out, std::regex(R"(PID of Child Process is: (\d+))"));
  ASSERT_EQ(main_pid.size(), 1u);
  ASSERT_EQ(child_pid.size(), 1u);
  EXPECT_NE(main_pid[0], child_pid[0]);
}

TEST(ProcessNameDemoTest, SubclassProcessesAreMyProcess1To5) {
  auto r = run_demo("process-name", "subclass");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), UnorderedElementsAre("called run method in process: MyProcess-1",
                                                      "called run method in process: MyProcess-2",
                                                      "called run method in process: MyProcess-3",
                                                      "called run method in process: MyProcess-4",
                                                      "called run method in process: MyProcess-5"));
}
