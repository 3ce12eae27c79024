// The spawn demo: children print the lecture's lines, exit 0 and are reaped, by spawn or fork.
#include <sys/wait.h>

#include "cli_fixture.h"
#include "demos/process_targets.h"
#include "core/process/process.h"

using namespace concur::testing;
using ::testing::UnorderedElementsAre;

namespace {

class SpawnDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    concur::demos::register_process_targets();
    concur::process::set_executable(CONCUR_BINARY);
  }
};

bool no_zombie() {
  int status;
  return ::waitpid(-1, &status, WNOHANG) <= 0;
}

TEST_F(SpawnDemoTest, MyFuncChildrenCountUpInTurnBecauseEachIsJoined) {
  auto r = run_demo("spawn", "myfunc");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 21u) << r.out;  // 6 headers + 0+1+2+3+4+5 outputs
  EXPECT_EQ(lines[0], "calling myFunc from process n°: 0");
  EXPECT_EQ(lines[1], "calling myFunc from process n°: 1");
  EXPECT_EQ(lines[2], "output from myFunc is :0");
  EXPECT_EQ(lines[20], "output from myFunc is :4");
  EXPECT_THAT(r.out, ::testing::HasSubstr("check: ok - 6/6 children (spawn)"));
  EXPECT_TRUE(no_zombie());
}

TEST_F(SpawnDemoTest, TutorialChildrenEachSayWhichProcessTheyAre) {
  auto r = run_demo("spawn", "tutorial");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out),
              UnorderedElementsAre("This is process: 0", "This is process: 1", "This is process: 2"));
  EXPECT_TRUE(no_zombie());
}

TEST_F(SpawnDemoTest, StartedTogetherChildrenAllRunUnderEitherStartMethod) {
  for (std::string method : {"spawn", "fork", "forkserver"}) {
    auto r = run_demo("spawn", "start", {"--start-method", method});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_THAT(demo_lines(r.out), UnorderedElementsAre("Process 0 is running", "Process 1 is running",
                                                        "Process 2 is running", "Process 3 is running"));
    EXPECT_THAT(r.out, ::testing::HasSubstr("4/4 children (" + method + ") exited with code 0"));
  }
  EXPECT_TRUE(no_zombie());
}

}  // namespace

namespace {

TEST_F(SpawnDemoTest, GilWorkaroundStartsFourWorkerProcesses) {
  auto r = run_demo("spawn", "workers");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out),
              UnorderedElementsAre("Worker process", "Worker process", "Worker process", "Worker process"));
}

TEST_F(SpawnDemoTest, CompareSquaresOnFiveThreadsThenOnFiveProcesses) {
  for (std::string method : {"spawn", "fork"}) {
    auto r = run_demo("spawn", "compare", {"--start-method", method});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto lines = demo_lines(r.out);
    ASSERT_EQ(lines.size(), 10u) << r.out;
    std::vector<std::string> threads(lines.begin(), lines.begin() + 5), processes(lines.begin() + 5, lines.end());
    EXPECT_THAT(threads, UnorderedElementsAre("Square of 0: 0", "Square of 1: 1", "Square of 2: 4", "Square of 3: 9",
                                              "Square of 4: 16"));
    EXPECT_THAT(processes, UnorderedElementsAre("Square of 0: 0", "Square of 1: 1", "Square of 2: 4",
                                                "Square of 3: 9", "Square of 4: 16"));
  }
}

TEST_F(SpawnDemoTest, ForkserverChildrenHaveTheServerNotMainAsTheirParent) {
  auto r = run_demo("spawn", "forkserver");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto server = concur::testing::captures(r.out, std::regex("Forkserver: pid ([0-9]+)"));
  ASSERT_EQ(server.size(), 1u) << r.out;
  auto parents = concur::testing::captures(r.out, std::regex("Child process [0-2]: pid [0-9]+, parent pid ([0-9]+)"));
  ASSERT_EQ(parents.size(), 3u) << r.out;
  for (const auto& p : parents) EXPECT_EQ(p, server[0]);
  EXPECT_THAT(r.out, ::testing::HasSubstr("check: ok - 3/3 children found the forkserver"));
}

}  // namespace
