// The manager demo: a child's append to a managed list and a child's changes to a managed
// Namespace are read back by the parent through the server process, which is gone after.
#include <regex>

#include "cli_fixture.h"

namespace {

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ManagerDemoTest : public concur::testing::DemoRunTest {
 protected:
  ManagerDemoTest() : DemoRunTest("manager") {}
};

TEST_F(ManagerDemoTest, TheSecondChildPrintsTheRecordTheFirstChildAppended) {
  auto check = run("records");
  EXPECT_TRUE(check.held) << check.message;
  EXPECT_THAT(demo_lines(out()),
              ElementsAre("A New record is added", "", "Name: Computers", "Score: 1", "", "Name: History", "Score: 5",
                          "", "Name: Hindi", "Score: 9", "", "Name: English", "Score: 3", ""));
  EXPECT_THAT(check.message, HasSubstr("the parent reads 4 records through the server, the child's ['English', 3] last"));
}

TEST_F(ManagerDemoTest, TheChildsNamespaceChangesAreSeenByTheParent) {
  auto check = run("namespace");
  EXPECT_TRUE(check.held) << check.message;
  EXPECT_THAT(demo_lines(out()), ElementsAre("before Namespace(x=1, y=1)", "after Namespace(x=6, y=10)"));
  EXPECT_THAT(check.message, HasSubstr("2/2 of the child's changes reached the parent"));
}

TEST_F(ManagerDemoTest, TheServerProcessIsSyncManager1AndIsReapedAfterShutdown) {
  for (const char* variant : {"records", "namespace"}) {
    auto check = run(variant);
    EXPECT_TRUE(check.held) << variant << ": " << check.message;
    EXPECT_THAT(check.message, HasSubstr("SyncManager-1 exited with 0 and was reaped")) << variant;
  }
}

}  // namespace
