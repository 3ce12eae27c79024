// mpqueue, variant `messages`: unit 003 "Example: Using Queue" (a child produces 0..4, a
// second child started after it consumes them) and "Using Queue (Multi-Producer,
// Multi-Consumer)" (a child sends five messages half a second apart; the parent prints each
// as it comes, while the child is still sending).
#include "core/concur.h"
#include "demos/mpqueue.h"

namespace concur::demos {

namespace {

using process::Process;
using process::Queue;
using process::Value;

void producer(Queue& queue) {
  for (int i = 0; i < 5; ++i) {
    queue.put(i);
    print("Produced: {}", i);
  }
}

void consumer(Queue& queue, Queue& got) {
  while (!queue.empty()) {
    Value item = queue.get();
    got.put(item);
    print("Consumed: {}", process::str(item));
  }
}

void queue_worker(Queue& q) {
  for (int i = 0; i < 5; ++i) {
    q.put(fmt::format("Message {} from child process", i));
    time::sleep(0.5);
  }
}

}  // namespace

Check run_mpqueue_messages(const Context&) {
  // 003 "Example: Using Queue": the consumer starts after the producer has finished.
  Queue queue, got;
  Process p1({.target = [&] { producer(queue); }});
  Process p2({.target = [&] { consumer(queue, got); }});
  p1.start();
  p1.join();
  p2.start();
  p2.join();
  std::vector<long long> consumed = drain(got);
  // The IPC program: the parent reads while the child is still sending.
  Queue q;
  Process p3({.target = [&] { queue_worker(q); }});
  p3.start();
  int received = 0;
  while (p3.is_alive() || !q.empty()) {
    while (!q.empty()) {
      std::string m = q.get().as_str();
      received += m == fmt::format("Message {} from child process", received);
      print("Parent received from queue: {}", m);
    }
    q.poll(0.1);  // Python spins here; concur waits for the next item instead
  }
  p3.join();
  bool ok = consumed == std::vector<long long>{0, 1, 2, 3, 4} && received == 5;
  return {ok, fmt::format("the consumer got {}/5 items in order; the parent received {}/5 messages in order",
                          consumed.size(), received)};
}

// mpqueue.h
std::vector<long long> drain(process::Queue& q) {
  std::vector<long long> items;
  while (!q.empty()) items.push_back(q.get().as_int());
  return items;
}

}  // namespace concur::demos
