// The process-name demo: Process-N counts named processes too; MainProcess; MyProcess-N.
#include "cli_fixture.h"

using concur::testing::captures;
using concur::testing::demo_lines;
using concur::testing::run_demo;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST(ProcessNameDemoTest, TheDefaultNameIsProcess2BecauseTheNamedOneCounted) {
  auto r = run_demo("process-name", "naming");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_THAT(std::vector<std::string>(lines.begin(), lines.begin() + 2),
              UnorderedElementsAre("Starting process name = myFunc process", "Starting process name = Process-2"));
  EXPECT_THAT(std::vector<std::string>(lines.begin() + 2, lines.end()),
              UnorderedElementsAre("Exiting process name = myFunc process", "Exiting process name = Process-2"));
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
