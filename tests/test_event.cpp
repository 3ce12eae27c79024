// threading.Event (PYTHON_SEMANTICS.md 12): unset at first, idempotent set/clear, wait's
// result, set() waking everyone, and a set-then-clear still waking the waiter.
#include <atomic>
#include <list>

#include "core_fixture.h"

using concur::Event;
using concur::Thread;
using namespace concur::testing;

class EventTest : public concur::testing::CoreTest {};

TEST_F(EventTest, AnEventStartsUnset) {
  Event e;
  EXPECT_FALSE(e.is_set());
}

TEST_F(EventTest, SetAndClearAreIdempotent) {
  Event e;
  e.set();
  e.set();
  EXPECT_TRUE(e.is_set());
  e.clear();
  e.clear();
  EXPECT_FALSE(e.is_set());
}

TEST_F(EventTest, WaitReturnsTrueAtOnceWhenSet) {
  Event e;
  e.set();
  double start = concur::time::perf_counter();
  EXPECT_TRUE(e.wait());
  EXPECT_TRUE(e.wait(0));
  EXPECT_LT(concur::time::perf_counter() - start, 100.0);
}

TEST_F(EventTest, WaitReturnsFalseWhenTheTimeoutPasses) {
  Event e;
  double start = concur::time::perf_counter();
  EXPECT_FALSE(e.wait(10));
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
  EXPECT_FALSE(e.wait(0));
}

TEST_F(EventTest, WaitReturnsTrueWhenAnotherThreadSetsIt) {
  Event e;
  bool result = false;
  Thread t({.target = [&] { result = e.wait(5000); }});
  t.start();
  ASSERT_TRUE(parked_on(e.site()));
  e.set();
  t.join();
  EXPECT_TRUE(result);
}

TEST_F(EventTest, SetWakesEveryWaiter) {
  Event e;
  std::atomic<int> woken{0};
  std::list<Thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(concur::ThreadArgs{.target = [&] {
      if (e.wait(5000)) ++woken;
    }});
    threads.back().start();
  }
  ASSERT_TRUE(parked_on(e.site(), 4));
  e.set();
  for (auto& t : threads) t.join();
  EXPECT_EQ(woken.load(), 4);
}

TEST_F(EventTest, AWaiterStillReturnsTrueWhenSetIsFollowedAtOnceByClear) {
  Event e;
  bool result = false;
  Thread t({.target = [&] { result = e.wait(5000); }});
  t.start();
  ASSERT_TRUE(parked_on(e.site()));
  e.set();
  e.clear();
  double took = concur::testing::real_seconds([&] { t.join(); });
  EXPECT_TRUE(result);
  EXPECT_LT(took, 2.0);  // woken by set(), not by the 5 s timeout
  EXPECT_FALSE(e.is_set());
}

TEST_F(EventTest, ANegativeTimeoutDoesNotWait) {
  Event e;
  double took = concur::testing::real_seconds([&] { EXPECT_FALSE(e.wait(-1)); });
  EXPECT_LT(took, 0.5);
}
