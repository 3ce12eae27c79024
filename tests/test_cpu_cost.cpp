// The CPU cost model (cpu_cost.h): in a deterministic run, work on separate threads
// overlaps on the virtual clock and work under one lock adds up, each step at its exact
// cost, every step still done; in a real run work() is the caller's loop, run once, and
// cpu::clock() is the real clock.
#include <chrono>
#include <sstream>
#include <vector>

#include "core_fixture.h"
#include "core/cpu_cost.h"
#include "core/run.h"

using concur::Lock;
using concur::RunOptions;
using concur::Thread;
using concur::begin_run;
using concur::end_run;
namespace cpu = concur::cpu;
using namespace concur::testing;
using ::testing::ElementsAre;

namespace {

constexpr double kCpuTestStepSeconds = 1e-9;

// Counts `steps` steps of a volatile countdown through cpu::work; returns where it ended.
long long cpu_test_countdown(long long steps) {
  volatile long long n = steps;
  cpu::work(steps, kCpuTestStepSeconds, [&](long long block) {
    long long until = n - block;
    while (n > until) n = n - 1;
  });
  return n;
}

}  // namespace

// Each test is one deterministic run with seed 1 on the test's thread.
class CpuCostTest : public DeterministicTest {
 protected:
  void SetUp() override { begin(1); }
};

TEST_F(CpuCostTest, WorkCostsItsStepsOnTheVirtualClockAndDoesEveryOne) {
  EXPECT_TRUE(cpu::modelled());
  double start = cpu::clock();
  EXPECT_EQ(cpu_test_countdown(2'500'000), 0);
  EXPECT_NEAR(cpu::clock() - start, 2.5e-3, 1e-12);
}

TEST_F(CpuCostTest, WorkIsDoneInBlocksEachChargedBeforeTheNext) {
  std::vector<long long> blocks;
  std::vector<double> at;  // the virtual clock as each block begins
  double start = cpu::clock();
  cpu::work(2'500'000, kCpuTestStepSeconds, [&](long long block) {
    blocks.push_back(block);
    at.push_back(cpu::clock() - start);
  });
  EXPECT_THAT(blocks, ElementsAre(cpu::kBlockSteps, cpu::kBlockSteps, 500'000));
  ASSERT_EQ(at.size(), 3u);
  EXPECT_NEAR(at[0], 0, 1e-12);
  EXPECT_NEAR(at[1], 1e-3, 1e-12);
  EXPECT_NEAR(at[2], 2e-3, 1e-12);
}

TEST_F(CpuCostTest, NoStepsCostNothingAndRunNothing) {
  double start = cpu::clock();
  int calls = 0;
  cpu::work(0, kCpuTestStepSeconds, [&](long long) { ++calls; });
  cpu::work(-5, kCpuTestStepSeconds, [&](long long) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(cpu::clock(), start);
}

TEST_F(CpuCostTest, WorkOnTwoThreadsOverlapsLikeTwoCores) {
  long long n1 = -1, n2 = -1;
  double took1 = 0, took2 = 0;
  Thread t1({.target = [&] {
    double s = cpu::clock();
    n1 = cpu_test_countdown(3'000'000);
    took1 = cpu::clock() - s;
  }});
  Thread t2({.target = [&] {
    double s = cpu::clock();
    n2 = cpu_test_countdown(2'000'000);
    took2 = cpu::clock() - s;
  }});
  double start = cpu::clock();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  double total = cpu::clock() - start;
  EXPECT_EQ(n1, 0);
  EXPECT_EQ(n2, 0);
  EXPECT_NEAR(took1, 3e-3, 1e-12);
  EXPECT_NEAR(took2, 2e-3, 1e-12);
  EXPECT_NEAR(total, 3e-3, 1e-12);  // the longer one, not the sum
}

TEST_F(CpuCostTest, WorkUnderOneLockIsSerialised) {
  Lock gil("gil");
  auto under_gil = [&] {
    std::lock_guard hold(gil);
    cpu_test_countdown(3'000'000);
  };
  Thread t1({.target = under_gil});
  Thread t2({.target = under_gil});
  double start = cpu::clock();
  t1.start();
  t2.start();
  t1.join();
  t2.join();
  EXPECT_NEAR(cpu::clock() - start, 6e-3, 1e-12);  // the sum: one at a time
}

TEST_F(CpuCostTest, WorkOutsideTheLockOverlapsWithWorkUnderIt) {
  Lock gil("gil");
  auto under_gil = [&] {
    std::lock_guard hold(gil);
    cpu_test_countdown(2'000'000);
  };
  Thread t1({.target = under_gil});
  Thread t2({.target = under_gil});
  Thread free({.target = [] { cpu_test_countdown(4'000'000); }});
  double start = cpu::clock();
  t1.start();
  t2.start();
  free.start();
  t1.join();
  t2.join();
  free.join();
  EXPECT_NEAR(cpu::clock() - start, 4e-3, 1e-12);  // 2 + 2 under the lock, beside 4 without it
}

TEST_F(CpuCostTest, TheSameWorkCostsTheSameTimeOnEveryRun) {
  auto two_threads = [] {
    Thread t1({.target = [] { cpu_test_countdown(1'500'000); }});
    Thread t2({.target = [] { cpu_test_countdown(1'250'000); }});
    double start = cpu::clock();
    t1.start();
    t2.start();
    t1.join();
    t2.join();
    return cpu::clock() - start;
  };
  double first = two_threads();
  double second = two_threads();
  EXPECT_EQ(first, second);  // bit for bit
}

// In a real run work() is the caller's loop, called once with every step; nothing sleeps.
class CpuCostRealTest : public CoreTest {};

TEST_F(CpuCostRealTest, ARealRunCallsTheWorkOnceWithEveryStep) {
  EXPECT_FALSE(cpu::modelled());
  std::vector<long long> blocks;
  double lecture_start = concur::time::perf_counter();
  // A cost of a lecture second a step would be 3,000,000 lecture seconds if it were charged.
  cpu::work(3 * cpu::kBlockSteps, 1.0, [&](long long block) { blocks.push_back(block); });
  EXPECT_THAT(blocks, ElementsAre(3 * cpu::kBlockSteps));
  EXPECT_LT(concur::time::perf_counter() - lecture_start, 1000.0);  // 1 s real at this scale
}

TEST_F(CpuCostRealTest, ARealRunTimesWorkOnTheRealClock) {
  using Steady = std::chrono::steady_clock;
  auto seconds = [](Steady::time_point t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); };
  double before = seconds(Steady::now());
  double clock = cpu::clock();
  double after = seconds(Steady::now());
  EXPECT_LE(before, clock);
  EXPECT_LE(clock, after);
  EXPECT_EQ(cpu_test_countdown(2'000'000), 0);
}
