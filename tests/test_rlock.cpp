// threading.RLock (PYTHON_SEMANTICS.md 5): re-entrant for its owner, owned by one thread,
// released only by it, locked until the last release.
#include <mutex>

#include "core_fixture.h"

using concur::RLock;
using concur::Thread;
using namespace concur::testing;

class RLockTest : public concur::testing::CoreTest {};

TEST_F(RLockTest, TheOwnerMayAcquireAnRLockAgain) {
  RLock lock;
  EXPECT_TRUE(lock.acquire());
  EXPECT_TRUE(lock.acquire(false));  // would block on a Lock
  EXPECT_TRUE(lock.acquire(true, 1));
  lock.release();
  lock.release();
  lock.release();
  EXPECT_FALSE(lock.locked());
}

TEST_F(RLockTest, NestedScopedHoldsOfAnRLockDoNotBlock) {
  RLock lock;
  {
    std::lock_guard outer(lock);
    std::lock_guard inner(lock);
    EXPECT_TRUE(lock.is_owned());
  }
  EXPECT_FALSE(lock.locked());
}

// RLockTests.test_release_unacquired
TEST_F(RLockTest, ReleasingAnUnacquiredRLockRaisesRuntimeError) {
  RLock lock;
  EXPECT_EQ(py_error([&] { lock.release(); }), "RuntimeError: cannot release un-acquired lock");
  EXPECT_THROW(lock.release(), concur::RuntimeError);
}

TEST_F(RLockTest, OneReleaseTooManyRaisesRuntimeError) {
  RLock lock;
  lock.acquire();
  lock.acquire();
  lock.release();
  lock.release();
  EXPECT_EQ(py_error([&] { lock.release(); }), "RuntimeError: cannot release un-acquired lock");
}

// RLockTests.test_different_thread
TEST_F(RLockTest, ReleaseByAThreadThatDoesNotOwnItRaisesRuntimeError) {
  RLock lock;
  lock.acquire();
  std::string error;
  Thread t({.target = [&] { error = py_error([&] { lock.release(); }); }});
  t.start();
  t.join();
  EXPECT_EQ(error, "RuntimeError: cannot release un-acquired lock");
  EXPECT_TRUE(lock.locked());
  EXPECT_TRUE(lock.is_owned());
  lock.release();
}

TEST_F(RLockTest, AnotherThreadCannotAcquireAHeldRLock) {
  RLock lock;
  lock.acquire();
  bool nonblocking = true, timed = true;
  Thread t({.target = [&] {
    nonblocking = lock.acquire(false);
    timed = lock.acquire(true, 5);
  }});
  t.start();
  t.join();
  EXPECT_FALSE(nonblocking);
  EXPECT_FALSE(timed);
  lock.release();
}

TEST_F(RLockTest, AWaitingThreadGetsTheRLockAfterTheOwnersLastRelease) {
  RLock lock;
  lock.acquire();
  lock.acquire();
  bool got = false;
  Thread t({.target = [&] {
    got = lock.acquire(true, 5000);
    lock.release();
  }});
  t.start();
  ASSERT_TRUE(parked_on(lock.site()));
  lock.release();
  EXPECT_TRUE(t.is_alive());  // one level is still held
  lock.release();
  t.join();
  EXPECT_TRUE(got);
  EXPECT_FALSE(lock.locked());
}

TEST_F(RLockTest, LockedStaysTrueUntilTheLastRelease) {
  RLock lock;
  EXPECT_FALSE(lock.locked());
  lock.acquire();
  lock.acquire();
  lock.acquire();
  lock.release();
  EXPECT_TRUE(lock.locked());
  lock.release();
  EXPECT_TRUE(lock.locked());
  lock.release();
  EXPECT_FALSE(lock.locked());
}

TEST_F(RLockTest, LockedIsTrueInOtherThreadsButOnlyTheOwnerOwnsIt) {
  RLock lock;
  lock.acquire();
  bool locked = false, owned = true;
  Thread t({.target = [&] {
    locked = lock.locked();
    owned = lock.is_owned();
  }});
  t.start();
  t.join();
  EXPECT_TRUE(locked);
  EXPECT_FALSE(owned);
  lock.release();
}

TEST_F(RLockTest, RLockAcquireRejectsTheSameTimeoutsAsLock) {
  RLock lock;
  EXPECT_EQ(py_error([&] { lock.acquire(false, 1); }), "ValueError: can't specify a timeout for a non-blocking call");
  EXPECT_EQ(py_error([&] { lock.acquire(true, -2); }), "ValueError: timeout value must be a non-negative number");
  EXPECT_FALSE(lock.locked());
}
