// Deadlock detection: a cycle of threads waiting for ever on each other's locks is reported
// on the run's output, naming the threads and locks, and the threads of the cycle unwind
// (their scoped holds release); a wait with a timeout is never part of a deadlock.
#include <atomic>
#include <mutex>
#include <string>

#include "core_fixture.h"

using concur::Barrier;
using concur::Lock;
using concur::Thread;
using namespace concur::testing;
using ::testing::HasSubstr;
namespace deadlock = concur::deadlock;

class DeadlockTest : public concur::testing::CoreTest {};

TEST_F(DeadlockTest, ATwoThreadLockCycleIsReportedNamingBothThreads) {
  Lock fork1("fork 1"), fork2("fork 2");
  Barrier both_hold_one(2);
  std::atomic<int> exits{0}, ate{0};
  auto philosopher = [&](Lock& left, Lock& right) {
    CountExit count{exits};
    std::lock_guard hold_left(left);
    both_hold_one.wait(5000);
    std::lock_guard hold_right(right);  // never granted: the other holds it and waits for ours
    ++ate;
  };
  Thread first({.target = [&] { philosopher(fork1, fork2); }, .name = "1st"});
  Thread second({.target = [&] { philosopher(fork2, fork1); }, .name = "2nd"});
  double took = real_seconds([&] {
    first.start();
    second.start();
    first.join();
    second.join();
  });
  EXPECT_LT(took, 2.0);
  ASSERT_TRUE(deadlock::reported());
  EXPECT_THAT(out(), HasSubstr("Deadlock detected: 2 threads wait for each other in a cycle; none can go on.\n"));
  EXPECT_THAT(out(), HasSubstr("  1st holds fork 1, waits for fork 2 held by 2nd\n"));
  EXPECT_THAT(out(), HasSubstr("  2nd holds fork 2, waits for fork 1 held by 1st\n"));
  EXPECT_EQ(deadlock::report_lines().size(), 3u);
  // Both threads unwound: neither ate, both left, their scoped holds released the forks.
  EXPECT_EQ(ate.load(), 0);
  EXPECT_EQ(exits.load(), 2);
  EXPECT_FALSE(first.is_alive());
  EXPECT_FALSE(second.is_alive());
  EXPECT_FALSE(fork1.locked());
  EXPECT_FALSE(fork2.locked());
  EXPECT_EQ(err(), "");  // unwinding is not an uncaught exception
  EXPECT_EQ(concur::active_count(), 1);
}

TEST_F(DeadlockTest, AOneThreadSelfDeadlockOnALockIsReported) {
  Lock lock("box.lock");
  std::atomic<int> exits{0};
  bool reentered = false;
  Thread t({.target =
                [&] {
                  CountExit count{exits};
                  std::lock_guard hold(lock);
                  lock.acquire();  // a Lock is not re-entrant: waits for itself
                  reentered = true;
                },
            .target_name = "f"});
  double took = real_seconds([&] {
    t.start();
    t.join();
  });
  EXPECT_LT(took, 2.0);
  ASSERT_TRUE(deadlock::reported());
  EXPECT_THAT(out(), HasSubstr("Deadlock detected: Thread-1 (f) waits for a lock it holds itself.\n"));
  EXPECT_THAT(out(), HasSubstr("  Thread-1 (f) holds box.lock, waits for box.lock held by Thread-1 (f)"));
  EXPECT_FALSE(reentered);
  EXPECT_EQ(exits.load(), 1);
  EXPECT_FALSE(lock.locked());
}

TEST_F(DeadlockTest, AThreadJoiningAThreadThatWaitsForItsLockIsReported) {
  Lock lock("results lock");
  Thread helper({.target = [&] { std::lock_guard hold(lock); }, .name = "helper"});
  Thread boss({.target =
                   [&] {
                     std::lock_guard hold(lock);
                     helper.start();
                     helper.join();  // helper waits for the lock boss holds
                   },
               .name = "boss"});
  boss.start();
  boss.join();
  helper.join();
  ASSERT_TRUE(deadlock::reported());
  EXPECT_THAT(out(), HasSubstr("  boss holds results lock, waits for helper to finish\n"));
  EXPECT_THAT(out(), HasSubstr("  helper waits for results lock held by boss\n"));
  EXPECT_FALSE(lock.locked());
}

TEST_F(DeadlockTest, AWaitWithATimeoutInALockCycleIsNeverReported) {
  Lock fork1("fork 1"), fork2("fork 2");
  Barrier both_hold_one(2);
  bool timed_got = true, forever_got = false;
  // One thread gives up after 250 lecture seconds (250 ms real, several detector slices):
  // a timeout, not a deadlock; the other, waiting for ever, then gets its lock.
  Thread timed({.target = [&] {
    std::lock_guard hold(fork1);
    both_hold_one.wait(5000);
    timed_got = fork2.acquire(true, 250);  // gives up, then releases fork 1
  }});
  Thread forever({.target = [&] {
    std::lock_guard hold(fork2);
    both_hold_one.wait(5000);
    forever_got = fork1.acquire();  // no timeout: gets fork 1 once the other gives up
    fork1.release();
  }});
  timed.start();
  forever.start();
  timed.join();
  forever.join();
  EXPECT_FALSE(timed_got);
  EXPECT_TRUE(forever_got);
  EXPECT_FALSE(deadlock::reported());
  EXPECT_EQ(out(), "");
}

TEST_F(DeadlockTest, ATimedSelfWaitOnALockIsNeverReported) {
  Lock lock("box.lock");
  bool again = true;
  Thread t({.target = [&] {
    std::lock_guard hold(lock);
    again = lock.acquire(true, 250);
  }});
  t.start();
  t.join();
  EXPECT_FALSE(again);
  EXPECT_FALSE(deadlock::reported());
  EXPECT_EQ(out(), "");
}

// A Lock may be left held by a thread that has finished (and whose Thread object is gone),
// then released by another thread: waiting for it meanwhile is no deadlock.
TEST_F(DeadlockTest, ALockLeftHeldByAFinishedThreadIsNotADeadlock) {
  Lock lock("baton");
  {
    Thread runner({.target = [&] { lock.acquire(); }, .name = "runner"});
    runner.start();
    runner.join();
  }
  bool got = false;
  Thread next({.target = [&] { got = lock.acquire(); }, .name = "next"});
  next.start();
  ASSERT_TRUE(concur::testing::parked_on(lock.site()));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // three detector slices
  lock.release();  // main passes the baton on
  next.join();
  EXPECT_TRUE(got);
  EXPECT_FALSE(deadlock::reported());
  lock.release();
}
