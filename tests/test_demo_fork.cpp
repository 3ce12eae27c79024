// The fork demo: two PIDs, the child's parent is the parent, the child is reaped.
#include <sys/wait.h>

#include "cli_fixture.h"

using namespace concur::testing;

TEST(ForkDemoTest, ParentAndChildPrintDifferentPidsAndTheChildIsReaped) {
  auto r = run_demo("fork", "fork");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto parent = captures(r.out, std::regex(R"(PID of Parent process is :  (\d+))"));
  auto child = captures(r.out, std::regex(R"(PID of Child process is :  (\d+))"));
  ASSERT_EQ(parent.size(), 1u) << r.out;
  ASSERT_EQ(child.size(), 1u) << r.out;
  EXPECT_NE(parent[0], child[0]);
  EXPECT_EQ(parent[0], std::to_string(::getpid()));  // the demo ran in this process
  EXPECT_THAT(r.out, ::testing::ContainsRegex("check: ok - .*reaped with exit code 0"));
  int status;
  EXPECT_LE(::waitpid(-1, &status, WNOHANG), 0);  // no zombie left
}
