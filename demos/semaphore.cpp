// semaphore: a Semaphore(0) used as an event between a producer and a consumer
// (001 "Implementing semaphore").
//
// Ten rounds; each starts a consumer and a producer thread (plain Thread-1, Thread-2, ...
// as the slide shows). The consumer logs that it is waiting and blocks in acquire(): the
// counter is 0. The producer sleeps 3 lecture seconds, makes an item with randint(0, 1000),
// logs it and release()s, which lets the consumer through to log the same item. The lines
// use the lecture's own logging format. The other variants, a Semaphore(n) that limits how
// many threads are inside at once (003 "Semaphore Objects in Threading" and its worker
// examples), are in semaphore__limit.cpp.
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

constexpr int kRounds = 10;

// The lecture's module-level semaphore and item, plus what each round saw (bookkeeping for
// the check, not in the lecture).
struct Shared {
  Semaphore semaphore{0, "semaphore"};
  int item = 0;
  std::vector<int> made = std::vector<int>(kRounds, -1);
  std::vector<int> consumed = std::vector<int>(kRounds, -2);
};

void consumer(Shared& shared, int round) {
  logging::info("Consumer is waiting");
  shared.semaphore.acquire();
  logging::info("Consumer notify: item number {}", shared.item);
  shared.consumed[round] = shared.item;
}

void producer(Shared& shared, int round) {
  time::sleep(3);
  shared.item = static_cast<int>(random::randint(0, 1000));
  shared.made[round] = shared.item;
  logging::info("Producer notify: item number {}", shared.item);
  shared.semaphore.release();
}

}  // namespace

Check run_semaphore_event(const Context&) {
  logging::basic_config(logging::INFO, "%(asctime)s %(threadName)-17s %(levelname)-8s %(message)s");
  Shared shared;

  // Ten rounds: start a consumer and a producer, wait for both, as the lecture's main().
  for (int i = 0; i < kRounds; ++i) {
    Thread t1({.target = [&shared, i] { consumer(shared, i); }});
    Thread t2({.target = [&shared, i] { producer(shared, i); }});
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }

  // The semaphore made each consumer wait for its producer's release, so it read that item.
  int matched = 0;
  for (int i = 0; i < kRounds; ++i) matched += shared.consumed[i] == shared.made[i];
  return {matched == kRounds,
          fmt::format("each consumer logged the item its producer made ({}/{} rounds)", matched, kRounds)};
}

}  // namespace concur::demos
