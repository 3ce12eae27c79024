// The hybrid demo: two download threads from a loopback server beside a factorial process.
#include "cli_fixture.h"

namespace concur::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

// Under AddressSanitizer the demo's process is forked while its download threads allocate:
// GCC 12's ASan allocator takes no lock around fork(), and the child can hang on a lock a
// download thread held (each test timed out in 2 of 4 full ASan runs here, each time passing
// on ctest's retry). The release build keeps both tests, TSan the first, and `make test`
// runs the hybrid check (`concur check --all`).
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_UNDER_ASAN() GTEST_SKIP() << "under ASan: a fork beside allocating threads can hang the child"
#else
#define SKIP_UNDER_ASAN()
#endif

TEST(HybridDemoTest, ThreadsDownloadTheLecturesSizesFromTheLocalServer) {
  SKIP_UNDER_ASAN();
  auto r = run_demo("hybrid", "hybrid");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  // The lecture's own URLs, which the local proxy serves.
  EXPECT_TRUE(has_line(r.out, "Thread-0: Starting download from "
                              "https://www\\.w3\\.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy\\.pdf"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, "Thread-1: Starting download from https://www\\.learningcontainer\\.com/wp-content/"
                              "uploads/2020/05/sample-pdf-file\\.pdf"))
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("Thread-0: Download complete. Size: 13265 bytes"));
  EXPECT_THAT(r.out, HasSubstr("Thread-1: Download complete. Size: 16384 bytes"));
}

TEST(HybridDemoTest, TheProcessComputesTheExactFactorialAndAllTasksCompleteLast) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: the process is forked while the download threads and the local server's threads run, "
                  "and a child forked from a multi-threaded process can hang in ThreadSanitizer's runtime (its "
                  "die_after_fork caveat); seen once in CI. Release and ASan runs keep this test";
#endif
  SKIP_UNDER_ASAN();
  auto r = run_demo("hybrid", "hybrid");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("Process: Computing factorial of 50000"));
  EXPECT_THAT(r.out, HasSubstr("Process: Factorial computation done for 50000"));
  EXPECT_THAT(r.out, HasSubstr("213237 digits"));
  auto lines = demo_lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "All tasks completed.");
}

}  // namespace
}  // namespace concur::testing
