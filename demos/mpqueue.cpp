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
#include "core/concur.h"
#include "demos/demos.h"
#include "demos/mpqueue.h"

namespace concur::demos {

namespace {

using process::Process;
using process::Queue;

// What the producer put and the consumer got, sent back to the parent for the check; and on
// the lecture clock, when the producer was about to put each item and when the consumer
// found the queue empty.
struct Record {
  Queue put;
  Queue got;
  Queue put_at;
  Queue empty_at;
};

class producer : public Process {
 public:
  producer(Queue& queue, Record& record)
      : Process(process::ProcessArgs{.class_name = "producer"}), queue_(queue), record_(record) {}

 protected:
  void run() override {
    for (int i = 0; i < 10; ++i) {
      int item = random::randint(0, 256);
      record_.put_at.put(time::perf_counter());
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
        record_.empty_at.put(time::perf_counter());
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

void f(Queue& q) { q.put(process::List{42, process::None{}, "hello"}); }

Check check_producer_consumer(Queue& queue, Record& record, Process& producer, Process& consumer);

}  // namespace

Check run_mpqueue_producer_consumer(const Context&) {
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
  return check_producer_consumer(queue, record, process_producer, process_consumer);
}

Check run_mpqueue_docs(const Context&) {
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

namespace {

// Every item put was got once, in the order it was put. The consumer stops at the first
// empty() it sees; a loaded machine can hold the producer back for lecture seconds, so the
// consumer may find the queue empty before the producer's next put. Then main gets what it
// left, still in order, and the consumer's empty() must have come before that put.
Check check_producer_consumer(Queue& queue, Record& record, Process& process_producer, Process& process_consumer) {
  std::vector<long long> put = drain(record.put), got = drain(record.got), left = drain(queue);
  std::vector<long long> all = got;
  all.insert(all.end(), left.begin(), left.end());
  std::vector<double> put_at;
  while (!record.put_at.empty()) put_at.push_back(record.put_at.get().as_float());
  double empty_at = record.empty_at.empty() ? -1 : record.empty_at.get().as_float();
  double next_put = got.size() < put_at.size() ? put_at[got.size()] : 1e9;
  bool really_empty = empty_at >= 0 && empty_at < next_put;
  bool ok = put.size() == 10 && all == put && really_empty && process_producer.exitcode() == 0 &&
            process_consumer.exitcode() == 0;
  std::string early = left.empty() ? ""
                                   : fmt::format(
                                         "; it found the queue empty at {:.2f} s, before the producer's next put "
                                         "at {:.2f} s, and main got the other {}",
                                         empty_at, next_put, left.size());
  return {ok, fmt::format("the producer put {} items; the consumer got {} of them, in order: {}{}", put.size(),
                          got.size(), all == put ? "yes" : "no", early)};
}

}  // namespace

}  // namespace concur::demos
