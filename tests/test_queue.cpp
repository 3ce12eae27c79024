// queue.Queue, LifoQueue, PriorityQueue (PYTHON_SEMANTICS.md 20-22): orders, Full and
// Empty, timeouts, unbounded maxsize, task_done and join.
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "core_fixture.h"

using concur::LifoQueue;
using concur::PriorityQueue;
using concur::Queue;
using concur::Thread;
using namespace concur::testing;

class QueueTest : public concur::testing::CoreTest {};

namespace {
// Puts 111, 333, 222 and gets everything back, as test_queue.py's simple_queue_test does.
std::vector<int> put_and_get_all(Queue<int>& q) {
  for (int item : {111, 333, 222}) q.put(item);
  std::vector<int> got;
  while (!q.empty()) got.push_back(q.get());
  return got;
}
}  // namespace

// 20. Orders.
TEST_F(QueueTest, AFifoQueueGetsItemsInTheOrderTheyWerePut) {
  Queue<int> q;
  EXPECT_EQ(put_and_get_all(q), (std::vector<int>{111, 333, 222}));
}

TEST_F(QueueTest, ALifoQueueGetsTheLastItemPutFirst) {
  LifoQueue<int> q;
  EXPECT_EQ(put_and_get_all(q), (std::vector<int>{222, 333, 111}));
}

TEST_F(QueueTest, APriorityQueueGetsTheLowestItemFirst) {
  PriorityQueue<int> q;
  EXPECT_EQ(put_and_get_all(q), (std::vector<int>{111, 222, 333}));
}

TEST_F(QueueTest, APriorityQueueOrdersPriorityDataPairsByPriority) {
  PriorityQueue<std::pair<int, std::string>> q;
  q.put({3, "low"});
  q.put({1, "urgent"});
  q.put({2, "normal"});
  EXPECT_EQ(q.get().second, "urgent");
  EXPECT_EQ(q.get().second, "normal");
  EXPECT_EQ(q.get().second, "low");
}

// 21. Full, Empty, timeouts, maxsize.
TEST_F(QueueTest, NonBlockingPutOnAFullQueueRaisesFull) {
  Queue<int> q(2);
  q.put(1);
  q.put(2);
  EXPECT_TRUE(q.full());
  EXPECT_EQ(py_error([&] { q.put(3, false); }), "Full");
  EXPECT_THROW(q.put_nowait(3), concur::Full);
  EXPECT_EQ(q.qsize(), 2u);
}

TEST_F(QueueTest, TimedPutOnAFullQueueRaisesFullAfterTheTimeout) {
  Queue<int> q(1);
  q.put(1);
  double start = concur::time::perf_counter();
  EXPECT_EQ(py_error([&] { q.put(2, true, 10); }), "Full");
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
}

TEST_F(QueueTest, NonBlockingGetOnAnEmptyQueueRaisesEmpty) {
  Queue<int> q;
  EXPECT_EQ(py_error([&] { q.get(false); }), "Empty");
  EXPECT_THROW(q.get_nowait(), concur::Empty);
}

TEST_F(QueueTest, TimedGetOnAnEmptyQueueRaisesEmptyAfterTheTimeout) {
  Queue<int> q;
  double start = concur::time::perf_counter();
  EXPECT_EQ(py_error([&] { q.get(true, 10); }), "Empty");
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
}

// queue.Queue: a negative timeout is a ValueError only where Python looks at it: a blocking
// get (empty or not) and a blocking put into a bounded queue (full or not). A non-blocking
// call ignores it, and an unbounded put never waits.
TEST_F(QueueTest, ANegativeTimeoutRaisesValueErrorOnlyWhereItCouldWait) {
  Queue<int> q(1);
  EXPECT_EQ(py_error([&] { q.get(true, -1); }), "ValueError: 'timeout' must be a non-negative number");
  EXPECT_EQ(py_error([&] { q.put(1, true, -1); }), "ValueError: 'timeout' must be a non-negative number");
  q.put(1);
  EXPECT_EQ(py_error([&] { q.put(2, true, -1); }), "ValueError: 'timeout' must be a non-negative number");
  EXPECT_EQ(py_error([&] { q.put(2, false, -1); }), "Full");
  EXPECT_EQ(py_error([&] { q.get(true, -1); }), "ValueError: 'timeout' must be a non-negative number");
  EXPECT_EQ(q.get(false, -1), 1);
  EXPECT_EQ(py_error([&] { q.get(false, -1); }), "Empty");
  Queue<int> unbounded;
  EXPECT_EQ(py_error([&] { unbounded.put(1, true, -1); }), "");
  EXPECT_EQ(unbounded.get(), 1);
}

TEST_F(QueueTest, AMaxsizeOfZeroOrLessIsUnbounded) {
  for (int maxsize : {0, -1}) {
    Queue<int> q(maxsize);
    for (int i = 0; i < 1000; ++i) q.put(i, false);
    EXPECT_FALSE(q.full());
    EXPECT_EQ(q.qsize(), 1000u);
  }
}

TEST_F(QueueTest, GetBlocksUntilAnotherThreadPuts) {
  Queue<int> q;
  int got = 0;
  Thread consumer({.target = [&] { got = q.get(true, 5000); }});
  consumer.start();
  ASSERT_TRUE(concur::testing::blocked(consumer.name()));
  q.put(7);
  consumer.join();
  EXPECT_EQ(got, 7);
}

TEST_F(QueueTest, PutOnAFullQueueBlocksUntilAnotherThreadGets) {
  Queue<int> q(1);
  q.put(1);
  std::atomic<bool> put_done{false};
  Thread producer({.target = [&] {
    q.put(2, true, 5000);
    put_done = true;
  }});
  producer.start();
  ASSERT_TRUE(concur::testing::blocked(producer.name()));
  EXPECT_EQ(q.get(), 1);
  producer.join();
  EXPECT_TRUE(put_done);
  EXPECT_EQ(q.get(), 2);
}

// 22. task_done and join.
TEST_F(QueueTest, TaskDoneMoreTimesThanItemsPutRaisesValueError) {
  Queue<int> q;
  EXPECT_EQ(py_error([&] { q.task_done(); }), "ValueError: task_done() called too many times");
  q.put(1);
  q.get();
  q.task_done();
  EXPECT_EQ(py_error([&] { q.task_done(); }), "ValueError: task_done() called too many times");
}

TEST_F(QueueTest, JoinReturnsAtOnceWhenNothingWasPut) {
  Queue<int> q;
  q.join();
  SUCCEED();
}

TEST_F(QueueTest, JoinWaitsUntilEveryItemIsMarkedDone) {
  Queue<int> q;
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) q.put(i);
  Thread worker({.target = [&] {
    for (int i = 0; i < 5; ++i) {
      q.get();
      concur::time::sleep(1);
      ++done;
      q.task_done();
    }
  }});
  worker.start();
  q.join();
  EXPECT_EQ(done.load(), 5);  // join returned only after the last task_done
  worker.join();
}

TEST_F(QueueTest, JoinStillWaitsWhileAGotItemIsNotMarkedDone) {
  Queue<int> q;
  q.put(1);
  q.get();  // got, not done
  concur::Event joined;
  Thread joiner({.target = [&] {
    q.join();
    joined.set();
  }});
  joiner.start();
  ASSERT_TRUE(concur::testing::blocked(joiner.name()));
  EXPECT_FALSE(joined.wait(10));
  q.task_done();
  EXPECT_TRUE(joined.wait(5000));
  joiner.join();
}
