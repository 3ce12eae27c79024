// threading.Barrier (PYTHON_SEMANTICS.md 13-14): parties, arrival indices, the action, and
// the ways it breaks (abort, reset, a timed-out wait) and recovers (reset).
#include <algorithm>
#include <atomic>
#include <list>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core_fixture.h"

using concur::Barrier;
using concur::Thread;
using namespace concur::testing;

class BarrierTest : public concur::testing::CoreTest {
 protected:
  // Starts `count` threads that each wait on `barrier` once and record what it did:
  // the index it returned, or -1 for BrokenBarrierError.
  void start_waiters(Barrier& barrier, int count) {
    for (int i = 0; i < count; ++i) {
      threads.emplace_back(concur::ThreadArgs{.target = [this, &barrier] {
        int result;
        try {
          result = barrier.wait(5000);
        } catch (const concur::BrokenBarrierError&) {
          result = -1;
        }
        std::lock_guard hold(results_mutex);
        results.push_back(result);
      }});
      threads.back().start();
    }
  }
  void join_all() {
    for (auto& t : threads) t.join();
  }
  std::mutex results_mutex;
  std::vector<int> results;
  std::list<Thread> threads;
};

// 13.
TEST_F(BarrierTest, ABarrierOfZeroPartiesRaisesValueError) {
  EXPECT_EQ(py_error([] { Barrier b(0); }), "ValueError: parties must be > 0");
  EXPECT_THROW(Barrier(-1), concur::ValueError);
}

TEST_F(BarrierTest, WaitReturnsDistinctIndicesFromZeroToPartiesMinusOne) {
  Barrier barrier(4);
  start_waiters(barrier, 3);
  ASSERT_TRUE(parked_on(barrier.site(), 3));
  int mine = barrier.wait(5000);
  join_all();
  results.push_back(mine);
  std::sort(results.begin(), results.end());
  EXPECT_EQ(results, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(mine, 3);  // main arrived last
}

TEST_F(BarrierTest, ABarrierCanBeUsedForSeveralRounds) {
  Barrier barrier(2);
  std::vector<int> indices;
  Thread t({.target = [&] {
    for (int round = 0; round < 3; ++round) barrier.wait(5000);
  }});
  t.start();
  for (int round = 0; round < 3; ++round) indices.push_back(barrier.wait(5000));
  t.join();
  EXPECT_EQ(indices.size(), 3u);
  EXPECT_FALSE(barrier.broken());
  EXPECT_EQ(barrier.n_waiting(), 0);
}

TEST_F(BarrierTest, TheActionRunsOnceBeforeAnyoneIsReleased) {
  std::atomic<int> actions{0};
  Barrier barrier(3, [&] { ++actions; });
  std::vector<int> seen;
  std::mutex seen_mutex;
  std::list<Thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(concur::ThreadArgs{.target = [&] {
      barrier.wait(5000);
      std::lock_guard hold(seen_mutex);
      seen.push_back(actions.load());  // what the action count was when released
    }});
    threads.back().start();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(actions.load(), 1);
  EXPECT_EQ(seen, (std::vector<int>{1, 1, 1}));
}

TEST_F(BarrierTest, AnActionThatRaisesBreaksTheBarrier) {
  Barrier barrier(2, [] { throw concur::RuntimeError("action failed"); });
  start_waiters(barrier, 1);
  ASSERT_TRUE(parked_on(barrier.site()));
  EXPECT_EQ(py_error([&] { barrier.wait(5000); }), "RuntimeError: action failed");
  join_all();
  EXPECT_EQ(results, std::vector<int>{-1});
  EXPECT_TRUE(barrier.broken());
}

// 14.
TEST_F(BarrierTest, AbortBreaksTheBarrierForWaitersAndLaterWaits) {
  Barrier barrier(3);
  start_waiters(barrier, 2);
  ASSERT_TRUE(parked_on(barrier.site(), 2));
  EXPECT_EQ(barrier.n_waiting(), 2);
  barrier.abort();
  join_all();
  EXPECT_EQ(results, (std::vector<int>{-1, -1}));
  EXPECT_TRUE(barrier.broken());
  EXPECT_EQ(py_error([&] { barrier.wait(5000); }), "BrokenBarrierError");
}

TEST_F(BarrierTest, ResetBreaksItForCurrentWaitersAndMakesItUsableAgain) {
  Barrier barrier(2);
  start_waiters(barrier, 1);
  ASSERT_TRUE(parked_on(barrier.site()));
  barrier.reset();
  join_all();
  EXPECT_EQ(results, std::vector<int>{-1});
  EXPECT_FALSE(barrier.broken());
  EXPECT_EQ(barrier.n_waiting(), 0);
  // A fresh round completes.
  results.clear();
  start_waiters(barrier, 1);
  int mine = barrier.wait(5000);
  join_all();
  results.push_back(mine);
  std::sort(results.begin(), results.end());
  EXPECT_EQ(results, (std::vector<int>{0, 1}));
}

TEST_F(BarrierTest, ResetAfterAbortMakesItUsableAgain) {
  Barrier barrier(2);
  barrier.abort();
  EXPECT_TRUE(barrier.broken());
  barrier.reset();
  EXPECT_FALSE(barrier.broken());
  start_waiters(barrier, 1);
  int mine = barrier.wait(5000);
  join_all();
  EXPECT_EQ(mine + results.at(0), 1);  // indices 0 and 1
}

TEST_F(BarrierTest, ATimedOutWaitBreaksTheBarrier) {
  Barrier barrier(3);
  start_waiters(barrier, 1);  // waits up to 5000: the timed-out wait below breaks it first
  ASSERT_TRUE(parked_on(barrier.site()));
  double start = concur::time::perf_counter();
  EXPECT_EQ(py_error([&] { barrier.wait(10); }), "BrokenBarrierError");
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
  join_all();
  EXPECT_EQ(results, std::vector<int>{-1});
  EXPECT_TRUE(barrier.broken());
}

TEST_F(BarrierTest, TheConstructorsTimeoutIsTheDefaultForWait) {
  Barrier barrier(2, {}, 10.0);
  EXPECT_EQ(py_error([&] { barrier.wait(); }), "BrokenBarrierError");
  EXPECT_TRUE(barrier.broken());
}

TEST_F(BarrierTest, PartiesNWaitingAndBrokenDescribeTheBarrier) {
  Barrier barrier(3);
  EXPECT_EQ(barrier.parties(), 3);
  EXPECT_EQ(barrier.n_waiting(), 0);
  EXPECT_FALSE(barrier.broken());
  start_waiters(barrier, 1);
  ASSERT_TRUE(eventually([&] { return barrier.n_waiting() == 1; }));
  start_waiters(barrier, 1);
  ASSERT_TRUE(eventually([&] { return barrier.n_waiting() == 2; }));
  barrier.wait(5000);
  join_all();
  EXPECT_EQ(barrier.n_waiting(), 0);
  EXPECT_FALSE(barrier.broken());
}
