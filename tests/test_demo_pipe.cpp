// The pipe demo: messages cross whole, both ways, and a closed pipe reads as EOFError.
#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PipeDemoTest, TheReceiverPrintsWhatTheSenderSent) {
  auto r = run_demo("pipe", "sender");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("Received: Hello from sender!"));
}

TEST(PipeDemoTest, ParentAndChildEachReceiveTheOthersMessageInOrder) {
  auto r = run_demo("pipe", "bidirectional");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("Parent received: Hello from child process!",
                                             "Child received: Hello from parent process!"));
}

TEST(PipeDemoTest, TheDocsListArrivesWholeAndThenTheClosedPipeIsEOF) {
  auto r = run_demo("pipe", "docs");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(demo_lines(r.out), ElementsAre("[42, None, 'hello']"));
  EXPECT_THAT(r.out, HasSubstr("the next recv() was EOFError"));
}
