// queue: threads hand items to each other through a thread-safe queue.
//
// 001 "Using a Queue (Producer-Consumer)" (default `producer-consumer`): a Producer thread
// puts five random items (0 to 256) in a Queue, one a second, and says so; three Consumer
// threads get them, say so and call task_done(). The lecture's consumers loop for ever
// and its program never ends; here main waits until every item is done (queue.join())
// and then puts one None per consumer, which ends each consumer's loop without a line.
// 002 "Example: Thread Communication with queue.Queue" (`sentinel`) and 003 "Using Queue
// for Thread Communication" (`sequential`) are in queue__sentinel.cpp; 004's FIFO, LIFO
// and priority queues with one or several threads (`kinds`) are in queue__kinds.cpp.
//
// The check: every item produced is consumed exactly once, in the order the queue's kind
// promises where the program can rely on one.
#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using ItemQueue = Queue<std::optional<long long>>;  // std::nullopt plays Python's None

// What was put and what was got, for the check.
struct Tally {
  std::mutex mutex;
  std::vector<long long> produced, consumed;
  std::vector<std::string> consumed_by;
};

class Producer : public Thread {
 public:
  Producer(ItemQueue& queue, Tally& tally) : queue_(queue), tally_(tally) {}

 protected:
  void run() override {
    for (int i = 0; i < 5; ++i) {
      long long item = random::randint(0, 256);
      queue_.put(item);
      print("Producer notify : item N°{} appended to queue by {}", item, name());
      {
        std::lock_guard lk(tally_.mutex);
        tally_.produced.push_back(item);
      }
      time::sleep(1);
    }
  }

 private:
  ItemQueue& queue_;
  Tally& tally_;
};

class Consumer : public Thread {
 public:
  Consumer(ItemQueue& queue, Tally& tally) : queue_(queue), tally_(tally) {}

 protected:
  void run() override {
    while (true) {
      std::optional<long long> item = queue_.get();
      if (!item) break;  // main's None: not in the lecture, whose consumers never stop
      print("Consumer notify : {} popped from queue by {}", *item, name());
      {
        std::lock_guard lk(tally_.mutex);
        tally_.consumed.push_back(*item);
        tally_.consumed_by.push_back(name());
      }
      queue_.task_done();
    }
  }

 private:
  ItemQueue& queue_;
  Tally& tally_;
};

Check check_each_once(const Tally& tally, const std::vector<std::unique_ptr<Consumer>>& consumers);

}  // namespace

Check run_queue_producer_consumer(const Context&) {
  ItemQueue queue(0, "queue");
  Tally tally;

  // One producer (Thread-1) and three consumers (Thread-2 … Thread-4)
  Producer t1(queue, tally);
  std::vector<std::unique_ptr<Consumer>> consumers;
  for (int i = 0; i < 3; ++i) consumers.push_back(std::make_unique<Consumer>(queue, tally));
  t1.start();
  for (auto& t : consumers) t->start();

  // The producer ends; once every item is done, one None per consumer ends them too
  t1.join();
  queue.join();
  for (std::size_t i = 0; i < consumers.size(); ++i) queue.put(std::nullopt);
  for (auto& t : consumers) t->join();
  return check_each_once(tally, consumers);
}

namespace {

// The same items came out as went in, each once.
Check check_each_once(const Tally& tally, const std::vector<std::unique_ptr<Consumer>>& consumers) {
  std::vector<long long> in = tally.produced, out = tally.consumed;
  std::sort(in.begin(), in.end());
  std::sort(out.begin(), out.end());
  if (in != out || in.size() != 5)
    return {false, fmt::format("{} items produced but {} consumed, or not the same ones", in.size(), out.size())};
  std::string who;
  for (auto& t : consumers)
    who += fmt::format("{}{}: {}", who.empty() ? "" : ", ", t->name(),
                       std::count(tally.consumed_by.begin(), tally.consumed_by.end(), t->name()));
  return {true, fmt::format("5/5 items consumed exactly once (by {}); queue.join() returned, all tasks done", who)};
}

}  // namespace

}  // namespace concur::demos
