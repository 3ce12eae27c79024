// threading.Condition (PYTHON_SEMANTICS.md 6-8): its lock, the un-acquired errors, and who
// notify(n) wakes; timed wait and wait_for.
#include <algorithm>
#include <atomic>
#include <list>
#include <mutex>
#include <vector>

#include "core_fixture.h"

using concur::Condition;
using concur::Lock;
using concur::RLock;
using concur::Thread;
using namespace concur::testing;

class ConditionTest : public concur::testing::CoreTest {
 protected:
  // Starts `count` threads that each wait on `cond` once, in order: waiter i is queued
  // before waiter i+1 starts. A waiter appends its index to `woken` when notified.
  void start_waiters(Condition& cond, int count) {
    for (int i = 0; i < count; ++i) {
      waiters.emplace_back(concur::ThreadArgs{.target = [this, &cond, i] {
        std::lock_guard hold(cond);
        if (cond.wait(5000)) woken.push_back(i);  // guarded by cond's lock
      }});
      waiters.back().start();
      ASSERT_TRUE(parked_on(cond.site(), i + 1));
    }
  }
  // The indices woken so far, read under the condition's lock.
  std::vector<int> woken_now(Condition& cond) {
    std::lock_guard hold(cond);
    return woken;
  }
  bool woken_count_is(Condition& cond, std::size_t n) {
    return eventually([&] { return woken_now(cond).size() >= n; });
  }
  std::vector<int> woken;
  std::list<Thread> waiters;
};

// 6. The default lock is an RLock: re-entrant, owned by a thread.
TEST_F(ConditionTest, TheDefaultLockIsAnRLock) {
  Condition cond;
  EXPECT_TRUE(cond.acquire());
  EXPECT_TRUE(cond.acquire(false));  // re-entrant: a Lock would refuse
  std::string error;
  Thread t({.target = [&] { error = py_error([&] { cond.release(); }); }});
  t.start();
  t.join();
  EXPECT_EQ(error, "RuntimeError: cannot release un-acquired lock");  // owned by main
  cond.release();
  cond.release();
  EXPECT_EQ(py_error([&] { cond.release(); }), "RuntimeError: cannot release un-acquired lock");
}

TEST_F(ConditionTest, AConditionOverALockSharesThatLock) {
  Lock lock;
  Condition cond(lock);
  cond.acquire();
  EXPECT_TRUE(lock.locked());
  EXPECT_FALSE(cond.acquire(false));  // a Lock is not re-entrant, through the condition either
  cond.release();
  EXPECT_FALSE(lock.locked());
  lock.acquire();
  EXPECT_FALSE(cond.acquire(false));
  lock.release();
}

TEST_F(ConditionTest, AConditionOverAnRLockSharesThatRLock) {
  RLock lock;
  Condition cond(lock);
  std::lock_guard hold(cond);
  EXPECT_TRUE(lock.is_owned());
  EXPECT_TRUE(lock.acquire(false));
  lock.release();
}

TEST_F(ConditionTest, WaitReleasesTheSharedLockAndReacquiresIt) {
  Lock lock;
  Condition cond(lock);
  bool notified = false;
  bool held_after = false;
  Thread t({.target = [&] {
    std::lock_guard hold(cond);
    notified = cond.wait(5000);
    held_after = lock.locked();
  }});
  t.start();
  ASSERT_TRUE(parked_on(cond.site()));
  EXPECT_TRUE(lock.acquire(true, 5000));  // free while the waiter waits
  cond.notify();
  lock.release();
  t.join();
  EXPECT_TRUE(notified);
  EXPECT_TRUE(held_after);
  EXPECT_FALSE(lock.locked());
}

TEST_F(ConditionTest, WaitReleasesEveryLevelOfAnRLockAndRestoresThem) {
  RLock lock;
  Condition cond(lock);
  bool notified = false;
  std::string extra_release;
  Thread t({.target = [&] {
    lock.acquire();
    lock.acquire();  // two levels
    notified = cond.wait(5000);
    lock.release();
    lock.release();  // both levels are back
    extra_release = py_error([&] { lock.release(); });
  }});
  t.start();
  ASSERT_TRUE(parked_on(cond.site()));
  EXPECT_TRUE(lock.acquire(false));  // fully released while the thread waits
  cond.notify();
  lock.release();
  t.join();
  EXPECT_TRUE(notified);
  EXPECT_EQ(extra_release, "RuntimeError: cannot release un-acquired lock");
  EXPECT_FALSE(lock.locked());
}

// 7. wait/notify without the lock.
TEST_F(ConditionTest, WaitWithoutHoldingTheLockRaisesRuntimeError) {
  Condition cond;
  EXPECT_EQ(py_error([&] { cond.wait(1); }), "RuntimeError: cannot wait on un-acquired lock");
  Lock lock;
  Condition over_lock(lock);
  EXPECT_EQ(py_error([&] { over_lock.wait(1); }), "RuntimeError: cannot wait on un-acquired lock");
}

TEST_F(ConditionTest, NotifyWithoutHoldingTheLockRaisesRuntimeError) {
  Condition cond;
  EXPECT_EQ(py_error([&] { cond.notify(); }), "RuntimeError: cannot notify on un-acquired lock");
  EXPECT_EQ(py_error([&] { cond.notify_all(); }), "RuntimeError: cannot notify on un-acquired lock");
}

TEST_F(ConditionTest, WaitWhileAnotherThreadHoldsTheRLockRaisesRuntimeError) {
  Condition cond;
  cond.acquire();
  std::string error;
  Thread t({.target = [&] { error = py_error([&] { cond.wait(1); }); }});
  t.start();
  t.join();
  EXPECT_EQ(error, "RuntimeError: cannot wait on un-acquired lock");
  cond.release();
}

// 8. notify(n): at most n, oldest first.
TEST_F(ConditionTest, NotifyWakesTheOldestWaiterFirst) {
  Condition cond;
  start_waiters(cond, 3);
  for (int expected = 0; expected < 3; ++expected) {
    {
      std::lock_guard hold(cond);
      cond.notify();
    }
    ASSERT_TRUE(woken_count_is(cond, expected + 1));
    EXPECT_EQ(woken_now(cond).back(), expected);
  }
  for (auto& t : waiters) t.join();
  EXPECT_EQ(woken, (std::vector<int>{0, 1, 2}));
}

TEST_F(ConditionTest, NotifyNWakesAtMostNWaiters) {
  Condition cond;
  start_waiters(cond, 4);
  {
    std::lock_guard hold(cond);
    cond.notify(2);
  }
  ASSERT_TRUE(woken_count_is(cond, 2));
  auto first = woken_now(cond);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first, (std::vector<int>{0, 1}));  // the two oldest
  ASSERT_TRUE(eventually([&] { return cond.site().parked.load() == 2; }));
  EXPECT_EQ(woken_now(cond).size(), 2u);  // the other two still wait
  {
    std::lock_guard hold(cond);
    cond.notify(5);  // more than there are: wakes the two left
  }
  for (auto& t : waiters) t.join();
  EXPECT_EQ(woken.size(), 4u);
}

TEST_F(ConditionTest, NotifyAllWakesEveryWaiter) {
  Condition cond;
  start_waiters(cond, 3);
  {
    std::lock_guard hold(cond);
    cond.notify_all();
  }
  for (auto& t : waiters) t.join();
  std::sort(woken.begin(), woken.end());
  EXPECT_EQ(woken, (std::vector<int>{0, 1, 2}));
}

TEST_F(ConditionTest, NotifyWithNoWaitersDoesNothing) {
  Condition cond;
  std::lock_guard hold(cond);
  cond.notify();
  cond.notify_all();
  EXPECT_FALSE(cond.wait(1));  // an earlier notify is not remembered
}

TEST_F(ConditionTest, WaitWithATimeoutReturnsFalseWhenItPasses) {
  Condition cond;
  std::lock_guard hold(cond);
  double start = concur::time::perf_counter();
  EXPECT_FALSE(cond.wait(10));
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
  cond.notify();  // the lock is held again after the timed-out wait
}

TEST_F(ConditionTest, WaitReturnsTrueWhenNotified) {
  Condition cond;
  start_waiters(cond, 1);
  {
    std::lock_guard hold(cond);
    cond.notify();
  }
  waiters.front().join();
  EXPECT_EQ(woken, std::vector<int>{0});
}

TEST_F(ConditionTest, WaitForReturnsTrueAtOnceWhenThePredicateHolds) {
  Condition cond;
  std::lock_guard hold(cond);
  double start = concur::time::perf_counter();
  EXPECT_TRUE(cond.wait_for([] { return true; }, 1000));
  EXPECT_LT(concur::time::perf_counter() - start, 100.0);
}

TEST_F(ConditionTest, WaitForReturnsThePredicatesLastValueOnTimeout) {
  Condition cond;
  std::lock_guard hold(cond);
  int calls = 0;
  double start = concur::time::perf_counter();
  EXPECT_FALSE(cond.wait_for([&] { return ++calls < 0; }, 10));
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
  EXPECT_GE(calls, 1);
}

TEST_F(ConditionTest, WaitForReturnsTrueOnceAnotherThreadMakesThePredicateTrue) {
  Condition cond;
  int items = 0;  // guarded by cond's lock
  bool result = false;
  Thread consumer({.target = [&] {
    std::lock_guard hold(cond);
    result = cond.wait_for([&] { return items >= 2; }, 5000);
  }});
  consumer.start();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(parked_on(cond.site()));
    std::lock_guard hold(cond);
    ++items;
    cond.notify();
  }
  consumer.join();
  EXPECT_TRUE(result);
}

// A run stopped (watchdog, Ctrl-C) while a thread waits: the waiter unwinds with the lock
// held again, as Python's wait() re-acquires it in a `finally`, so that its `with` block
// releases a lock it really holds, even when another thread holds the lock at that moment.
TEST_F(ConditionTest, AWaiterStoppedByTheRunHoldsTheLockAgainAsItUnwinds) {
  Condition cond;
  std::atomic<bool> holder_has_lock{false}, let_go{false}, waiter_returned{false};
  Thread waiter({.target = [&] {
    std::lock_guard hold(cond);
    cond.wait();
    waiter_returned = true;
  }});
  waiter.start();
  ASSERT_TRUE(parked_on(cond.site()));
  Thread holder({.target = [&] {
    std::lock_guard hold(cond);
    holder_has_lock = true;
    while (!let_go) std::this_thread::yield();  // holds the lock outside the seam
  }});
  holder.start();
  ASSERT_TRUE(eventually([&] { return holder_has_lock.load(); }));
  concur::runtime().cancel(concur::StopReason::kTimeout);
  // The waiter notices the stop within a slice and must wait for the lock the holder has.
  ASSERT_TRUE(eventually([&] { return cond.site().parked.load() == 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(waiter.is_alive());
  let_go = true;
  // No join(): it would be stopped too. is_alive() does not wait in the seam.
  ASSERT_TRUE(eventually([&] { return !waiter.is_alive() && !holder.is_alive(); }));
  EXPECT_FALSE(waiter_returned);
  EXPECT_EQ(err(), "");
  EXPECT_TRUE(cond.acquire(false));  // both scoped holds released it
  cond.release();
}

TEST_F(ConditionTest, ANotifiedWaiterStoppedWhileReacquiringTheLockStillHoldsItAsItUnwinds) {
  RLock lock;
  Condition cond(lock);
  std::atomic<bool> let_go{false}, waiter_returned{false};
  Thread waiter({.target = [&] {
    std::lock_guard hold(cond);
    cond.wait();
    waiter_returned = true;
  }});
  waiter.start();
  ASSERT_TRUE(parked_on(cond.site()));
  Thread holder({.target = [&] {
    std::lock_guard hold(cond);
    cond.notify();
    while (!let_go) std::this_thread::yield();  // keeps the lock the waiter needs back
  }});
  holder.start();
  ASSERT_TRUE(parked_on(lock.site()));  // the notified waiter waits to re-acquire
  concur::runtime().cancel(concur::StopReason::kTimeout);
  ASSERT_TRUE(eventually([&] { return lock.site().parked.load() == 0; }));
  let_go = true;
  ASSERT_TRUE(eventually([&] { return !waiter.is_alive() && !holder.is_alive(); }));
  EXPECT_FALSE(waiter_returned);
  EXPECT_EQ(err(), "");
  EXPECT_FALSE(lock.locked());
}
