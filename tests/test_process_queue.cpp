// multiprocessing.Queue: FIFO across processes, Empty/Full after a timeout, capacity,
// qsize, close, a stopped run, and no shared-memory segment left behind.
#include <dirent.h>

#include <fstream>
#include <iterator>
#include <set>

#include "core_fixture.h"
#include "core/process/process.h"
#include "core/process/queue.h"

namespace concur::process {
namespace {

using ProcessQueueTest = concur::testing::CoreTest;
using namespace concur::testing;

// The entries of /dev/shm: a Queue must add none.
std::set<std::string> dev_shm() {
  std::set<std::string> names;
  if (DIR* d = ::opendir("/dev/shm")) {
    while (dirent* e = ::readdir(d)) names.insert(e->d_name);
    ::closedir(d);
  }
  return names;
}

// Whether process `pid` is asleep in the kernel (state S in /proc/PID/stat).
bool sleeping(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S';
}

TEST_F(ProcessQueueTest, ItemsComeOutInTheOrderTheyWentIn) {
  Queue q;
  q.put(111);
  q.put(List{42, None{}, "hello"});
  q.put("third");
  EXPECT_EQ(q.get().as_int(), 111);
  EXPECT_EQ(repr(q.get()), "[42, None, 'hello']");
  EXPECT_EQ(q.get().as_str(), "third");
}

TEST_F(ProcessQueueTest, AChildsItemsReachTheParentInOrder) {
  Queue q;
  Process p({.target = [&] {
    for (int i = 0; i < 100; ++i) q.put(i);
  }});
  p.start();
  for (int i = 0; i < 100; ++i) EXPECT_EQ(q.get().as_int(), i);
  p.join();
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_TRUE(q.empty());
}

TEST_F(ProcessQueueTest, TwoChildConsumersGetEveryItemExactlyOnce) {
  Queue q;
  Queue results;
  auto consumer = [&] {
    for (;;) {
      Value v = q.get();
      if (v.is_none()) return;
      results.put(v);
    }
  };
  Process a({.target = consumer});
  Process b({.target = consumer});
  a.start();
  b.start();
  for (int i = 0; i < 200; ++i) q.put(i);
  q.put(None{});
  q.put(None{});
  std::multiset<long long> got;
  for (int i = 0; i < 200; ++i) got.insert(results.get().as_int());
  a.join();
  b.join();
  EXPECT_EQ(got.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(got.count(i), 1u) << i;
  EXPECT_TRUE(results.empty());
}

TEST_F(ProcessQueueTest, GetWithATimeoutOnAnEmptyQueueRaisesEmpty) {
  Queue q;
  double took = real_seconds([&] { EXPECT_EQ(py_error([&] { q.get(true, 50); }), "Empty"); });
  EXPECT_GE(took, 0.045);  // 50 lecture seconds at 1 ms each
  EXPECT_EQ(py_error([&] { q.get(false); }), "Empty");
  EXPECT_EQ(py_error([&] { q.get_nowait(); }), "Empty");
}

// _TestQueue.test_timeout and CPython 3.11's queues.py: a negative timeout waits not at all
// (SemLock.acquire and connection.wait clamp it to 0) and is never a ValueError, whether
// the get blocks or not, the queue is bounded or not. Were get(true, -5) to wait for ever,
// the helper's late item would end it after 2 s of real time and the test fail instead.
TEST_F(ProcessQueueTest, ANegativeTimeoutWaitsNotAtAllAndIsNoError) {
  Queue q;
  Event done;
  Thread helper({.target = [&] {
    if (!done.wait(2000)) q.put("late");
  }});
  helper.start();
  double took = real_seconds([&] { EXPECT_EQ(py_error([&] { q.get(true, -5); }), "Empty"); });
  done.set();
  helper.join();
  EXPECT_LT(took, 1.0);
  EXPECT_EQ(py_error([&] { q.get(false, -5); }), "Empty");  // non-blocking: timeout ignored
  EXPECT_EQ(py_error([&] { q.put(1, true, -5); }), "");     // unbounded: a place at once
  EXPECT_EQ(q.get(true, -5).as_int(), 1);                   // an item waits: got, no wait
  Queue bounded(1);
  bounded.put(1, true, -1);
  EXPECT_EQ(py_error([&] { bounded.put(2, true, -5); }), "Full");  // full: Full at once
  EXPECT_EQ(bounded.get(true, std::nullopt).as_int(), 1);
}

// _TestQueue.test_closed_queue_empty_exceptions (CPython 3.11's queues.py): a queue never
// put to keeps its pipe through close(), so empty() still answers; once this process has
// put, close() closes the pipe (the feeder thread's job in Python) and empty() raises
// OSError("handle is closed"). get and put raise ValueError either way.
TEST_F(ProcessQueueTest, EmptyOnAClosedQueueIsTrueIfNeverUsedElseOSError) {
  Queue unused;
  unused.close();
  EXPECT_TRUE(unused.empty());
  EXPECT_EQ(py_error([&] { unused.get(false); }), "ValueError: Queue is closed");
  Queue used;
  used.put(1);
  used.close();
  EXPECT_EQ(py_error([&] { used.empty(); }), "OSError: handle is closed");
  EXPECT_EQ(py_error([&] { used.put(2); }), "ValueError: Queue is closed");
}

TEST_F(ProcessQueueTest, PutOnAFullQueueBlocksUntilAChildGets) {
  Queue q(2);
  q.put(1);
  q.put(2);
  EXPECT_TRUE(q.full());
  EXPECT_EQ(py_error([&] { q.put(3, true, 20); }), "Full");
  EXPECT_EQ(py_error([&] { q.put_nowait(3); }), "Full");
  Process p({.target = [&] {
    time::sleep(30);
    print("got {}", q.get().as_int());
  }});
  p.start();
  q.put(3);  // returns only once the child's get has freed a place
  EXPECT_EQ(q.qsize(), 2);
  p.join();
  EXPECT_EQ(out(), "got 1\n");
  EXPECT_EQ(q.get().as_int(), 2);
  EXPECT_EQ(q.get().as_int(), 3);
}

TEST_F(ProcessQueueTest, QsizeCountsItemsPutAndNotYetGotInEveryProcess) {
  Queue q;
  EXPECT_EQ(q.qsize(), 0);
  EXPECT_TRUE(q.empty());
  Process p({.target = [&] {
    q.put("a");
    q.put("b");
    q.put("c");
  }});
  p.start();
  p.join();
  EXPECT_EQ(q.qsize(), 3);
  EXPECT_FALSE(q.empty());
  q.get();
  EXPECT_EQ(q.qsize(), 2);
  EXPECT_FALSE(q.full());
}

TEST_F(ProcessQueueTest, UseAfterCloseIsAnError) {
  Queue q;
  q.put(1);
  q.close();
  EXPECT_TRUE(q.closed());
  EXPECT_EQ(py_error([&] { q.put(2); }), "ValueError: Queue is closed");
  EXPECT_EQ(py_error([&] { q.get(); }), "ValueError: Queue is closed");
  EXPECT_EQ(q.qsize(), 1);  // the shared count still answers, as Python's does
  EXPECT_FALSE(q.full());
  q.close();  // twice is harmless
}

TEST_F(ProcessQueueTest, LargeItemsCrossWhole) {
  Queue q;
  std::string big(3 << 20, 'x');  // larger than the pipe's buffer
  Process p({.target = [&] { q.put(big); }});
  p.start();
  EXPECT_EQ(q.get().as_str().size(), big.size());
  p.join();
  EXPECT_EQ(p.exitcode(), 0);
}

TEST_F(ProcessQueueTest, AStoppedRunUnblocksGet) {
  Queue q;
  std::thread stopper([] { runtime().cancel(concur::StopReason::kTimeout); });
  EXPECT_THROW(q.get(), ThreadExit);
  stopper.join();
}

TEST_F(ProcessQueueTest, AChildKilledWhileHoldingTheReaderLockDoesNotBlockTheQueue) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: ThreadSanitizer does not model a robust mutex taken over from a dead process (EOWNERDEAD) and reports its unlock as an unlock of an unlocked mutex";
#endif
  Queue q, ready;
  Process p({.target = [&] {
    ready.put(1);
    q.get();  // holds the reader lock while it waits
  }});
  p.start();
  ready.get();
  ASSERT_TRUE(concur::testing::eventually([&] { return sleeping(*p.pid()); }));  // parked inside get()
  p.kill();
  p.join();
  EXPECT_EQ(p.exitcode(), -9);
  q.put("after");
  EXPECT_EQ(q.get(true, 1000).as_str(), "after");
}

TEST_F(ProcessQueueTest, NoSharedMemorySegmentIsLeftBehind) {
  auto before = dev_shm();
  {
    Queue q(3);
    Process p({.target = [&] { q.put(1); }});
    p.start();
    q.get();
    p.join();
    EXPECT_EQ(dev_shm(), before);
  }
  EXPECT_EQ(dev_shm(), before);
}

}  // namespace
}  // namespace concur::process
