// threading.Lock (PYTHON_SEMANTICS.md 1-4): release errors, non-blocking and timed
// acquire, release by another thread, no re-entry, and `with` releasing on exceptions.
#include <atomic>
#include <mutex>
#include <stdexcept>

#include "core_fixture.h"

using concur::Lock;
using concur::Thread;
using namespace concur::testing;

class LockTest : public concur::testing::CoreTest {};

// 1. test_releasing_unacquired_lock
TEST_F(LockTest, ReleasingAnUnlockedLockRaisesRuntimeError) {
  Lock lock;
  EXPECT_EQ(py_error([&] { lock.release(); }), "RuntimeError: release unlocked lock");
  EXPECT_THROW(lock.release(), concur::RuntimeError);
}

TEST_F(LockTest, ReleasingALockTwiceRaisesRuntimeError) {
  Lock lock;
  lock.acquire();
  lock.release();
  EXPECT_EQ(py_error([&] { lock.release(); }), "RuntimeError: release unlocked lock");
}

// 2. test_try_acquire_contended: acquire(False) on a lock another thread holds.
TEST_F(LockTest, NonBlockingAcquireOfAHeldLockReturnsFalseAtOnce) {
  Lock lock;
  lock.acquire();
  bool got = true;
  double took = -1;
  Thread t({.target = [&] {
    double start = concur::time::perf_counter();
    got = lock.acquire(false);
    took = concur::time::perf_counter() - start;
  }});
  t.start();
  t.join();
  EXPECT_FALSE(got);
  EXPECT_LT(took, 20.0);  // lecture seconds: no waiting (20 ms real at this scale)
  EXPECT_TRUE(lock.locked());
  lock.release();
}

TEST_F(LockTest, NonBlockingAcquireOfAFreeLockTakesIt) {
  Lock lock;
  EXPECT_TRUE(lock.acquire(false));
  EXPECT_TRUE(lock.locked());
  EXPECT_FALSE(lock.acquire(false));
  lock.release();
  EXPECT_FALSE(lock.locked());
}

// 2. test_timeout: acquire(timeout=T) on a held lock returns False once T has passed.
TEST_F(LockTest, TimedAcquireOfAHeldLockReturnsFalseAfterTheTimeout) {
  Lock lock;
  lock.acquire();
  bool got = true;
  double took = -1;
  Thread t({.target = [&] {
    double start = concur::time::perf_counter();
    got = lock.acquire(true, 20);
    took = concur::time::perf_counter() - start;
  }});
  t.start();
  t.join();
  EXPECT_FALSE(got);
  EXPECT_GE(took, 20.0 * 0.99);
  lock.release();
}

TEST_F(LockTest, AZeroTimeoutAcquireOfAHeldLockReturnsFalseAtOnce) {
  Lock lock;
  lock.acquire();
  double took = concur::testing::real_seconds([&] { EXPECT_FALSE(lock.acquire(true, 0)); });
  EXPECT_LT(took, 0.5);
  lock.release();
}

TEST_F(LockTest, TimedAcquireSucceedsWhenTheLockIsReleasedInTime) {
  Lock lock;
  lock.acquire();
  bool got = false;
  Thread t({.target = [&] { got = lock.acquire(true, 5000); }});
  t.start();
  ASSERT_TRUE(parked_on(lock.site()));
  lock.release();
  t.join();
  EXPECT_TRUE(got);
  EXPECT_TRUE(lock.locked());
  lock.release();
}

TEST_F(LockTest, NonBlockingAcquireWithATimeoutRaisesValueError) {
  Lock lock;
  EXPECT_EQ(py_error([&] { lock.acquire(false, 1); }),
            "ValueError: can't specify a timeout for a non-blocking call");
  EXPECT_FALSE(lock.locked());
}

TEST_F(LockTest, NegativeTimeoutOtherThanMinusOneRaisesValueError) {
  Lock lock;
  EXPECT_EQ(py_error([&] { lock.acquire(true, -2); }), "ValueError: timeout value must be a non-negative number");
  EXPECT_FALSE(lock.locked());
  EXPECT_TRUE(lock.acquire(true, -1));  // -1 means wait for ever, as in Python
  lock.release();
}

// 3. LockTests.test_different_thread: a Lock has no owner; anyone may release it.
TEST_F(LockTest, ALockMayBeReleasedByAnotherThread) {
  Lock lock;
  lock.acquire();
  std::string error = "not run";
  Thread t({.target = [&] { error = py_error([&] { lock.release(); }); }});
  t.start();
  t.join();
  EXPECT_EQ(error, "");
  EXPECT_FALSE(lock.locked());
}

// 3. test_reacquire: a second acquire by the holder blocks until someone else releases.
TEST_F(LockTest, ASecondAcquireByTheHolderBlocksUntilAnotherThreadReleases) {
  Lock lock;
  std::atomic<bool> second_returned{false};
  bool second_got = false;
  Thread t({.target = [&] {
    lock.acquire();
    second_got = lock.acquire(true, 5000);  // a timeout, so the self-wait is not a deadlock
    second_returned = true;
  }});
  t.start();
  ASSERT_TRUE(parked_on(lock.site()));
  EXPECT_FALSE(second_returned);
  EXPECT_TRUE(t.is_alive());
  lock.release();  // main releases the lock the thread holds
  t.join();
  EXPECT_TRUE(second_got);
  EXPECT_TRUE(lock.locked());
  lock.release();
}

TEST_F(LockTest, ASecondAcquireByTheHolderIsNotReentrant) {
  Lock lock;
  lock.acquire();
  EXPECT_FALSE(lock.acquire(false));
  EXPECT_FALSE(lock.acquire(true, 5));
  lock.release();
  EXPECT_FALSE(lock.locked());
}

// 4. test_with: `with lock:` releases however the block is left.
TEST_F(LockTest, AScopedHoldReleasesTheLockWhenTheBlockEnds) {
  Lock lock;
  {
    std::lock_guard hold(lock);
    EXPECT_TRUE(lock.locked());
  }
  EXPECT_FALSE(lock.locked());
}

TEST_F(LockTest, AScopedHoldReleasesTheLockWhenAnExceptionLeavesIt) {
  Lock lock;
  try {
    std::lock_guard hold(lock);
    throw std::runtime_error("inside with");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(lock.locked());
  EXPECT_TRUE(lock.acquire(false));
  lock.release();
}

TEST_F(LockTest, AScopedHoldExcludesOtherThreads) {
  Lock lock;
  long counter = 0;
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 4; ++i) {
    threads.push_back(std::make_unique<Thread>(concur::ThreadArgs{.target = [&] {
      for (int k = 0; k < 2000; ++k) {
        std::lock_guard hold(lock);
        ++counter;
      }
    }}));
  }
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  EXPECT_EQ(counter, 8000);
  EXPECT_FALSE(lock.locked());
}
