// queue, part 2: one producer, one consumer, and two ways for the consumer to know the end.
//
// 002 "Example: Thread Communication with queue.Queue" (`sentinel`): producer() puts ten
// random numbers (1 to 100), saying "Produced: 42" and pausing 0.1 to 0.5 s after each,
// then puts None; consumer() gets items until it gets that None, saying "Consumed: 42" and
// pausing likewise, then "Consumer finished processing."; main joins both and prints "All
// threads have finished." Producer and consumer run side by side.
// 003 "Using Queue for Thread Communication" (`sequential`): the producer puts 0 … 4 and is
// joined before the consumer even starts; the consumer then gets while the queue is not
// empty. Safe here only because nobody else touches the queue any more.
//
// The check: one producer and one consumer on a FIFO queue, so the consumer gets exactly
// the producer's items, in the producer's order.
#include <optional>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

namespace notebook {  // 002

void producer(Queue<std::optional<long long>>& q, int num_items, std::vector<long long>& produced) {
  for (int i = 0; i < num_items; ++i) {
    long long item = random::randint(1, 100);  // produce a random number
    q.put(item);
    print("Produced: {}", item);
    produced.push_back(item);
    time::sleep(random::uniform(0.1, 0.5));  // simulate variable production time
  }
  q.put(std::nullopt);  // signal the consumer to stop
}

void consumer(Queue<std::optional<long long>>& q, std::vector<long long>& consumed) {
  while (true) {
    std::optional<long long> item = q.get();
    if (!item) break;  // the stop signal
    print("Consumed: {}", *item);
    consumed.push_back(*item);
    time::sleep(random::uniform(0.1, 0.5));  // simulate variable processing time
  }
  print("Consumer finished processing.");
}

}  // namespace notebook

namespace unit {  // 003

void producer(Queue<long long>& queue, std::vector<long long>& produced) {
  for (int i = 0; i < 5; ++i) {
    queue.put(i);
    print("Produced: {}", i);
    produced.push_back(i);
  }
}

void consumer(Queue<long long>& queue, std::vector<long long>& consumed) {
  while (!queue.empty()) {
    long long item = queue.get();
    print("Consumed: {}", item);
    consumed.push_back(item);
  }
}

}  // namespace unit

// Both variants' check: the consumer got the producer's items, in order, each once.
Check same_items_in_order(const std::vector<long long>& produced, const std::vector<long long>& consumed,
                          const std::string& how) {
  if (consumed != produced)
    return {false, fmt::format("{} items produced, {} consumed, not the same sequence", produced.size(),
                               consumed.size())};
  return {true, fmt::format("{}/{} items consumed exactly once, in the order they were produced; {}",
                            consumed.size(), produced.size(), how)};
}

}  // namespace

Check run_queue_sentinel(const Context&) {
  Queue<std::optional<long long>> q(0, "q");
  std::vector<long long> produced, consumed;  // each written by one thread, read after join()

  // Create producer and consumer threads, start them, wait for both
  Thread producer_thread({.target = [&] { notebook::producer(q, 10, produced); }, .target_name = "producer"});
  Thread consumer_thread({.target = [&] { notebook::consumer(q, consumed); }, .target_name = "consumer"});
  producer_thread.start();
  consumer_thread.start();
  producer_thread.join();
  consumer_thread.join();
  print("All threads have finished.");
  return same_items_in_order(produced, consumed, "the None ended the consumer");
}

Check run_queue_sequential(const Context&) {
  Queue<long long> q(0, "q");
  std::vector<long long> produced, consumed;

  // The producer runs to the end before the consumer starts
  Thread producer_thread({.target = [&] { unit::producer(q, produced); }, .target_name = "producer"});
  Thread consumer_thread({.target = [&] { unit::consumer(q, consumed); }, .target_name = "consumer"});
  producer_thread.start();
  producer_thread.join();
  consumer_thread.start();
  consumer_thread.join();
  if (!q.empty()) return {false, fmt::format("{} items were left in the queue", q.qsize())};
  return same_items_in_order(produced, consumed, "the queue was empty at the end");
}

}  // namespace concur::demos
