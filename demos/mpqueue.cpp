// multiprocessing.Queue: one FIFO that several processes put into and get from; each item
// crosses a pipe whole and is got exactly once.
//
// Lecture 001 "Process synchronisation - Queue" (`producer-consumer`, the default): a
// producer process puts 10 random items, one a second, printing the queue's size; a
// consumer process takes one every 3 seconds until it finds the queue empty. The lecture's
// consumer may check empty() before the first item has arrived and quit at once; here it
// starts once the first item is in the queue, the run the lecture shows.
// Unit 003 "Example: Using Queue" and "Using Queue (Multi-Producer, Multi-Consumer)"
// (`messages`): a child produces 0..4, another consumes them after it; then a child sends
// five messages half a second apart while the parent reads them as they come.
// Tutorial 004 "Queues" (`docs`, Python's documentation example): f(q) puts
// [42, None, 'hello'] and the parent prints what it gets.
// Python's documentation, "Joining processes that use queues" (`join-before-get`, and its
// fix `get-before-join`): see mpqueue__join.cpp.
// The queue is process/queue.h: a pipe, process-shared locks and a capacity semaphore.
#include "concur.h"
#include "demos.h"
#include "demos/mpqueue.h"

namespace concur::demos {

namespace {

using process::Process;
using process::Queue;

// What the producer put and the consumer got, sent back to the parent for the check.
struct Record {
  Queue put;
  Queue got;
};

class producer : public Process {
 public:
  producer(Queue& queue, Record& record)
      : Process(process::ProcessArgs{.class_name = "producer"}), queue_(queue), record_(record) {}

 protected:
  void run() override {
    for (int i = 0; i < 10; ++i) {
      int item = random::randint(0, 256);
      queue_.put(item);
      record_.put.put(item);
      print("Process Producer : item {} appended to queue {}", item, name());
      time::sleep(1);
      print("The size of queue is {}", queue_.qsize());
    }
  }

 private:
  Queue& queue_;
  Record& record_;
};

class consumer : public Process {
 public:
  consumer(Queue& queue, Record& record)
      : Process(process::ProcessArgs{.class_name = "consumer"}), queue_(queue), record_(record) {}

 protected:
  void run() override {
    for (;;) {
      if (queue_.empty()) {
        print("the queue is empty");
        break;
      }
      time::sleep(2);
      long long item = queue_.get().as_int();
      record_.got.put(item);
      print("Process Consumer : item {} popped from by {}", item, name());
      time::sleep(1);
    }
  }

 private:
  Queue& queue_;
  Record& record_;
};

Check producer_consumer() {
  Queue queue;
  Record record;
  producer process_producer(queue, record);
  consumer process_consumer(queue, record);
  // The producer starts; the consumer once the first item is in the queue (or once the
  // producer is gone without putting one: killed, it would leave main waiting for ever)
  process_producer.start();
  while (!queue.poll(0.5) && process_producer.is_alive()) {
  }
  process_consumer.start();
  process_producer.join();
  process_consumer.join();
  // Every item put was got once, in the order it was put.
  std::vector<long long> put = drain(record.put), got = drain(record.got);
  bool ok = put.size() == 10 && got == put && queue.empty() && process_producer.exitcode() == 0 &&
            process_consumer.exitcode() == 0;
  return {ok, fmt::format("the producer put {} items; the consumer got {} of them, in order: {}", put.size(),
                          got.size(), got == put ? "yes" : "no")};
}

void f(Queue& q) { q.put(process::List{42, process::None{}, "hello"}); }

}  // namespace

std::vector<long long> drain(Queue& q) {
  std::vector<long long> items;
  while (!q.empty()) items.push_back(q.get().as_int());
  return items;
}

Check run_mpqueue(const Context& ctx) {
  if (ctx.variant == "messages") return mpqueue_messages();
  if (ctx.variant == "join-before-get") return mpqueue_join(true);
  if (ctx.variant == "get-before-join") return mpqueue_join(false);
  if (ctx.variant == "docs") {
    // Python's docs example: a list crosses from the child whole.
    Queue q;
    Process p({.target = [&] { f(q); }});
    p.start();
    std::string got = process::repr(q.get());
    print("{}", got);
    p.join();
    bool ok = got == "[42, None, 'hello']" && p.exitcode() == 0;
    return {ok, fmt::format("the parent got {} from the child; child exited with code 0: {}", got,
                            p.exitcode() == 0 ? "yes" : "no")};
  }
  return producer_consumer();
}

}  // namespace concur::demos
