// threading.Semaphore and BoundedSemaphore (PYTHON_SEMANTICS.md 9-11): the initial value,
// release past it, release(n), and the bounded variant's error.
#include <atomic>
#include <list>

#include "core_fixture.h"

using concur::BoundedSemaphore;
using concur::Semaphore;
using concur::Thread;
using namespace concur::testing;

class SemaphoreTest : public concur::testing::CoreTest {};

// 9.
TEST_F(SemaphoreTest, ANegativeInitialValueRaisesValueError) {
  EXPECT_EQ(py_error([] { Semaphore s(-1); }), "ValueError: semaphore initial value must be >= 0");
  EXPECT_EQ(py_error([] { BoundedSemaphore s(-1); }), "ValueError: semaphore initial value must be >= 0");
  EXPECT_THROW(Semaphore(-1), concur::ValueError);
}

TEST_F(SemaphoreTest, TheDefaultValueIsOne) {
  Semaphore s;
  EXPECT_EQ(s.value(), 1);
  EXPECT_TRUE(s.acquire(false));
  EXPECT_FALSE(s.acquire(false));
  s.release();
}

// _TestSemaphore.test_timeout with threading.Semaphore (multiprocessing.dummy's): a negative
// timeout, -1 included, waits not at all and returns False (Python's Condition.wait turns
// it into a non-blocking try); std::nullopt is None. A helper releases after 2 s of real
// time, so a wait that did not end would fail the test instead of hanging it.
TEST_F(SemaphoreTest, ANegativeTimeoutReturnsFalseAtOnce) {
  Semaphore s(0);
  concur::Event done;
  Thread helper({.target = [&] {
    if (!done.wait(2000)) s.release();
  }});
  helper.start();
  double took = real_seconds([&] {
    EXPECT_FALSE(s.acquire(true, -5));
    EXPECT_FALSE(s.acquire(true, -1));
  });
  done.set();
  helper.join();
  EXPECT_LT(took, 1.0);
  s.release();
  EXPECT_TRUE(s.acquire(true, -5));  // free: taken without waiting
  EXPECT_FALSE(s.acquire(false, std::nullopt));
  EXPECT_EQ(py_error([&] { s.acquire(false, -5); }), "ValueError: can't specify timeout for non-blocking acquire");
}

TEST_F(SemaphoreTest, AZeroSemaphoreBlocksUntilAnotherThreadReleases) {
  Semaphore s(0);
  bool got = false;
  Thread t({.target = [&] { got = s.acquire(true, 5000); }});
  t.start();
  ASSERT_TRUE(parked_on(s.site()));
  s.release();
  t.join();
  EXPECT_TRUE(got);
  EXPECT_EQ(s.value(), 0);
}

TEST_F(SemaphoreTest, TimedAcquireAtZeroReturnsFalseAfterTheTimeout) {
  Semaphore s(0);
  double start = concur::time::perf_counter();
  EXPECT_FALSE(s.acquire(true, 10));
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
}

TEST_F(SemaphoreTest, NonBlockingAcquireWithATimeoutRaisesValueError) {
  Semaphore s(1);
  EXPECT_EQ(py_error([&] { s.acquire(false, 1); }), "ValueError: can't specify timeout for non-blocking acquire");
  EXPECT_EQ(s.value(), 1);
}

// 10.
TEST_F(SemaphoreTest, APlainSemaphoreMayBeReleasedPastItsInitialValue) {
  Semaphore s(1);
  s.release();
  s.release();
  EXPECT_EQ(s.value(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(s.acquire(false));
  EXPECT_FALSE(s.acquire(false));
}

TEST_F(SemaphoreTest, ReleaseNAddsN) {
  Semaphore s(0);
  s.release(3);
  EXPECT_EQ(s.value(), 3);
}

TEST_F(SemaphoreTest, ReleaseNWakesNWaiters) {
  Semaphore s(0);
  std::atomic<int> got{0};
  std::list<Thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(concur::ThreadArgs{.target = [&] {
      if (s.acquire(true, 5000)) ++got;
    }});
    threads.back().start();
  }
  ASSERT_TRUE(parked_on(s.site(), 3));
  s.release(2);
  ASSERT_TRUE(eventually([&] { return got.load() == 2; }));
  EXPECT_EQ(s.value(), 0);
  s.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(got.load(), 3);
}

TEST_F(SemaphoreTest, ReleaseOfLessThanOneRaisesValueError) {
  Semaphore s(0);
  EXPECT_EQ(py_error([&] { s.release(0); }), "ValueError: n must be one or more");
  EXPECT_EQ(py_error([&] { s.release(-1); }), "ValueError: n must be one or more");
  EXPECT_EQ(s.value(), 0);
}

// 11.
TEST_F(SemaphoreTest, ABoundedSemaphoreReleasedPastItsInitialValueRaisesValueError) {
  BoundedSemaphore s(2);
  EXPECT_EQ(py_error([&] { s.release(); }), "ValueError: Semaphore released too many times");
  s.acquire();
  EXPECT_EQ(py_error([&] { s.release(2); }), "ValueError: Semaphore released too many times");
  EXPECT_EQ(s.value(), 1);
  s.release();
  EXPECT_EQ(s.value(), 2);
}

TEST_F(SemaphoreTest, ABoundedSemaphoreReleasesUpToItsInitialValue) {
  BoundedSemaphore s(3);
  s.acquire();
  s.acquire();
  s.release(2);
  EXPECT_EQ(s.value(), 3);
  EXPECT_EQ(py_error([&] { s.release(0); }), "ValueError: n must be one or more");
}

TEST_F(SemaphoreTest, ABoundedSemaphoreIsUsableThroughABaseReference) {
  BoundedSemaphore bounded(1);
  Semaphore& s = bounded;
  EXPECT_EQ(py_error([&] { s.release(); }), "ValueError: Semaphore released too many times");
}
