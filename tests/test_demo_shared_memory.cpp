// The shared-memory demo: Value and Array changed by forked children are seen by the
// parent, exactly; a plain list appended to in children stays empty in the parent.
#include <regex>

#include "cli_fixture.h"

namespace {

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SharedMemoryDemoTest : public concur::testing::DemoRunTest {
 protected:
  SharedMemoryDemoTest() : DemoRunTest("shared-memory") {}
};

TEST_F(SharedMemoryDemoTest, ThreeChildrenThenTwoLockedLoopsGiveTheLecturesExactTotals) {
  auto check = run("value-array");
  EXPECT_TRUE(check.held) << check.message;
  EXPECT_THAT(demo_lines(out()), ElementsAre("Shared Value: 3", "Shared Array: [3, 3, 3]", "Final shared value: 10",
                                             "Final shared array: [11, 12, 13]"));
  EXPECT_THAT(check.message, HasSubstr("value 3 (3), array [3, 3, 3], then 10 (10), [11, 12, 13]"));
}

TEST_F(SharedMemoryDemoTest, TheChildsPiAndNegatedArrayArriveInTheParent) {
  auto check = run("ctypes");
  EXPECT_TRUE(check.held) << check.message;
  EXPECT_THAT(demo_lines(out()), ElementsAre("3.1415927", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"));
}

TEST_F(SharedMemoryDemoTest, APlainListAppendedToInChildrenStaysEmptyInTheParent) {
  auto check = run("unshared");
  EXPECT_TRUE(check.held) << check.message;
  EXPECT_THAT(demo_lines(out()), ElementsAre("Final List Length: 0"));
  EXPECT_THAT(check.message, HasSubstr("each child's own copy grew to [5, 5, 5]; the parent's list still holds 0 items"));
}

}  // namespace
