// The lecture clock: sleeps and perf_counter are in lecture seconds, scaled by the run's
// time scale (real seconds per lecture second).
#include <chrono>
#include <regex>

#include "core_fixture.h"

using namespace concur::testing;
using ::testing::MatchesRegex;

// A run at time scale 0.01: a lecture second takes 10 ms real.
class ClockTest : public concur::testing::CoreTest {
 protected:
  ClockTest() : CoreTest(0.01) {}
};

TEST_F(ClockTest, ALectureSecondSleepTakesTenMillisecondsAtScaleOneHundredth) {
  double took = real_seconds([] { concur::time::sleep(1); });
  EXPECT_GE(took, 0.010);
  EXPECT_LT(took, 0.010 + 0.5);  // scheduling slack only, never a real second
}

TEST_F(ClockTest, PerfCounterReportsLectureSeconds) {
  auto real_start = std::chrono::steady_clock::now();
  double start = concur::time::perf_counter();
  concur::time::sleep(2);
  double lecture = concur::time::perf_counter() - start;
  double real = std::chrono::duration<double>(std::chrono::steady_clock::now() - real_start).count();
  EXPECT_GE(lecture, 2.0 * 0.999);
  EXPECT_LE(lecture * 0.01, real * 1.001);  // lecture seconds = real seconds / scale
  EXPECT_LT(real, 1.0);
}

TEST_F(ClockTest, PerfCounterStartsNearZeroAtTheBeginningOfARun) {
  EXPECT_GE(concur::time::perf_counter(), 0.0);
  EXPECT_LT(concur::time::perf_counter(), 100.0);  // 1 s real: only the fixture's set-up
}

TEST_F(ClockTest, TimeAdvancesInLectureSecondsToo) {
  double start = concur::time::time();
  concur::time::sleep(3);
  double elapsed = concur::time::time() - start;
  EXPECT_GE(elapsed, 3.0 * 0.999);
  EXPECT_LT(elapsed, 3.0 + 100.0);
}

TEST_F(ClockTest, AZeroOrNegativeSleepReturnsAtOnce) {
  double took = real_seconds([] {
    concur::time::sleep(0);
    concur::time::sleep(-5);
  });
  EXPECT_LT(took, 0.5);
}

TEST_F(ClockTest, CtimeLooksLikePythons) {
  // time.ctime(): "Mon Apr 23 10:03:33 2018"
  EXPECT_THAT(concur::time::ctime(), MatchesRegex(R"([A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4})"));
}

TEST_F(ClockTest, ASleepingThreadIsParkedSoOthersRunMeanwhile) {
  std::atomic<bool> other_ran{false};
  concur::Thread sleeper({.target = [] { concur::time::sleep(5); }, .name = "sleeper"});
  concur::Thread other({.target = [&] { other_ran = true; }});
  sleeper.start();
  ASSERT_TRUE(concur::testing::blocked("sleeper"));
  other.start();
  other.join();
  EXPECT_TRUE(other_ran);
  EXPECT_TRUE(sleeper.is_alive());
  sleeper.join();
}
