// multiprocessing.Value and Array: shared memory seen across fork, zero-filled arrays, the
// process-shared recursive lock, and Python's errors.
#include <atomic>
#include <list>

#include "core_fixture.h"
#include "core/real_scheduler.h"
#include "core/process/shared.h"

namespace concur::process {
namespace {

using SharedTest = concur::testing::CoreTest;

// Starts one forked child per target and joins them all; true when each exited with 0.
bool run_children(const std::vector<std::function<void()>>& targets) {
  std::list<Process> children;
  for (const auto& t : targets) children.emplace_back(ProcessArgs{.target = t});
  for (Process& p : children) p.start();
  for (Process& p : children) p.join();
  bool ok = true;
  for (Process& p : children) ok = ok && p.exitcode() == 0;
  return ok;
}

TEST_F(SharedTest, AForkedChildsWritesAreSeenByTheParent) {
  SharedValue<int> counter('i', 0);
  SharedValue<double> num('d', 0.0);
  SharedArray<int> arr('i', {1, 2, 3});
  ASSERT_TRUE(run_children({[&] {
    counter.value = 42;
    num.value = 3.1415927;
    for (std::size_t i = 0; i < arr.size(); ++i) arr[i] = -arr[i];
  }}));
  EXPECT_EQ(counter.value, 42);
  EXPECT_EQ(num.value, 3.1415927);
  EXPECT_EQ(arr.list(), (std::vector<int>{-1, -2, -3}));
}

TEST_F(SharedTest, APlainVariableChangedInAForkedChildIsUnchangedInTheParent) {
  int plain = 0;
  SharedValue<int> seen_by_child('i', 0);
  ASSERT_TRUE(run_children({[&] {
    plain = 7;
    seen_by_child.value = plain;
  }}));
  EXPECT_EQ(plain, 0);
  EXPECT_EQ(seen_by_child.value, 7);
}

TEST_F(SharedTest, AnArrayOfASizeIsZeroFilled) {
  SharedArray<int> ints('i', 10);
  SharedArray<double> doubles('d', 4);
  EXPECT_EQ(ints.size(), 10u);
  EXPECT_EQ(ints.list(), std::vector<int>(10, 0));
  EXPECT_EQ(doubles.list(), std::vector<double>(4, 0.0));
  EXPECT_EQ(ints.repr(), "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]");
}

TEST_F(SharedTest, ChildrenTimesLockedIncrementsAddUpExactly) {
  constexpr int kChildren = 4, kRounds = 20000;
  SharedValue<int> counter('i', 0);
  SharedArray<long long> per_child('q', kChildren);
  std::vector<std::function<void()>> targets;
  for (int c = 0; c < kChildren; ++c)
    targets.push_back([&, c] {
      for (int i = 0; i < kRounds; ++i) {
        std::lock_guard with(counter.get_lock());
        counter.value += 1;
        per_child[c] += 1;
      }
    });
  ASSERT_TRUE(run_children(targets));
  EXPECT_EQ(counter.value, kChildren * kRounds);
  EXPECT_EQ(per_child.list(), std::vector<long long>(kChildren, kRounds));
}

TEST_F(SharedTest, TheLockIsRecursiveAndHeldAgainstOtherProcesses) {
  SharedValue<int> v('i', 0);
  SharedValue<int> child_got_it('i', -1);
  SharedLock& lock = v.get_lock();
  ASSERT_TRUE(lock.acquire());
  ASSERT_TRUE(lock.acquire());  // the holder takes it again
  v.value += 1;                 // and its own locked reads and writes do not block
  ASSERT_TRUE(run_children({[&] { child_got_it.value = lock.acquire(false) ? 1 : 0; }}));
  EXPECT_EQ(child_got_it.value, 0);
  lock.release();
  ASSERT_TRUE(run_children({[&] { child_got_it.value = lock.acquire(false) ? 1 : 0; }}));
  EXPECT_EQ(child_got_it.value, 0);  // still held once
  lock.release();
  ASSERT_TRUE(run_children({[&] {
    bool got = lock.acquire(false);
    child_got_it.value = got ? 1 : 0;
    if (got) lock.release();
  }}));
  EXPECT_EQ(child_got_it.value, 1);
  EXPECT_EQ(v.value, 1);
}

TEST_F(SharedTest, AcquireWithATimeoutGivesUpWhileAnotherThreadHoldsTheLock) {
  SharedValue<int> v('i', 0);
  std::lock_guard with(v.get_lock());
  bool got = true;
  Thread t({.target = [&] { got = v.get_lock().acquire(true, 20); }});  // 20 ms real
  t.start();
  t.join();
  EXPECT_FALSE(got);
}

// multiprocessing.RLock's SemLock.acquire clamps a negative timeout to 0: no wait.
TEST_F(SharedTest, ANegativeTimeoutGivesUpAtOnce) {
  SharedValue<int> v('i', 0);
  std::lock_guard with(v.get_lock());
  bool got = true;
  double took = 0;
  Thread t({.target = [&] { took = concur::testing::real_seconds([&] { got = v.get_lock().acquire(true, -5); }); }});
  t.start();
  t.join();
  EXPECT_FALSE(got);
  EXPECT_LT(took, 1.0);
}

TEST_F(SharedTest, WaitingForTheLockNoticesAStoppedRun) {
  SharedValue<int> v('i', 0);
  std::lock_guard with(v.get_lock());
  std::atomic<bool> waiting{false}, stopped{false};
  std::thread waiter([&] {
    try {
      waiting = true;
      v.get_lock().acquire();
    } catch (const ThreadExit&) {
      stopped = true;
    }
  });
  ASSERT_TRUE(concur::testing::eventually([&] { return waiting.load(); }));
  std::this_thread::sleep_for(2 * RealScheduler::kSlice);  // let it wait through a slice or two
  EXPECT_FALSE(stopped);
  runtime().cancel(concur::StopReason::kTimeout);
  waiter.join();
  EXPECT_TRUE(stopped);
}

TEST_F(SharedTest, ReleasingALockNotHeldIsAnAssertionErrorAsInPython) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: the test releases a mutex it does not hold on purpose (the AssertionError of Python), and ThreadSanitizer reports that misuse itself";
#endif
  SharedValue<int> v('i', 0);
  EXPECT_EQ(concur::testing::py_error([&] { v.get_lock().release(); }),
            "AssertionError: attempt to release recursive lock not owned by thread");
}

TEST_F(SharedTest, AWrongTypecodeIsAValueErrorAndABadIndexAnIndexError) {
  EXPECT_THAT(concur::testing::py_error([] { SharedValue<int> v('d', 0); }), ::testing::StartsWith("ValueError: "));
  SharedArray<int> arr('i', 3);
  EXPECT_EQ(concur::testing::py_error([&] { arr[3] = 1; }), "IndexError: invalid index");
}

TEST_F(SharedTest, ValuesPrintAsPythonPrintsThem) {
  SharedValue<double> one('d', 1.0);
  SharedValue<float> f('f', 0.5f);
  SharedArray<int> arr('i', {0, -1, -2});
  EXPECT_EQ(one.value.repr(), "1.0");
  EXPECT_EQ(f.value.repr(), "0.5");
  EXPECT_EQ(arr.repr(), "[0, -1, -2]");
  EXPECT_EQ(one.typecode(), 'd');
  EXPECT_EQ(arr.typecode(), 'i');
}

}  // namespace
}  // namespace concur::process
