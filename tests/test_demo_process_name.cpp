// The process-name demo: Process-N counts named processes too; MainProcess; MyProcess-N.
#include <algorithm>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ElementsAre;
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
