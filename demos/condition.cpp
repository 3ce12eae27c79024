// condition: producers and consumers share a bounded list, guarded by one Condition.
//
// 001 names the condition object among the threading module's tools ("Python Threading
// module") but shows no code for it. This is that program in the style of the lecture's
// semaphore example ("Implementing semaphore"): the same logging format, a producer() and
// a consumer() function, random items from 0 to 1000. Two consumers and two producers
// share a list that may hold at most 3 items. Each thread holds the condition (Python's
// `with condition:`) while it looks at the list. A producer that finds it full, or a
// consumer that finds it empty, logs that it waits and calls condition.wait(), which lets
// go of the lock until another thread notifies; it then looks again (a `while`, not an
// `if`: another thread may have got there first). After every change the thread calls
// notify_all(): producers and consumers wait on the same condition, so notify() could wake
// a thread of the wrong kind and leave the one that could go on asleep.
//
// The check: the list never held more than 3 items, a consumer never found it empty when
// it went to pop, and every item produced was consumed exactly once.
#include <algorithm>
#include <memory>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

constexpr int kCapacity = 3;  // the most items the list may hold
constexpr int kItems = 6;     // items each producer makes and each consumer takes

// An item and its serial number (the serial is for the check; the log shows the number).
struct Item {
  int serial;
  long long number;
};

// The shared list and what the check needs, all guarded by the condition's lock.
struct Shared {
  Condition condition{"condition"};
  std::vector<Item> items;
  int next_serial = 0;
  int most_seen = 0;                // the longest the list has been
  int empty_pops = 0;               // pops that found the list empty (must stay 0)
  std::vector<int> times_consumed;  // by serial
};

void consumer(Shared& shared) {
  for (int i = 0; i < kItems; ++i) {
    {
      // Wait while the list is empty, then take the oldest item
      std::lock_guard hold(shared.condition);
      while (shared.items.empty()) {
        logging::info("Consumer is waiting");
        shared.condition.wait();  // lets go of the lock until notified, then takes it back
      }
      if (shared.items.empty()) {  // never, thanks to the while; counted for the check
        ++shared.empty_pops;
        continue;
      }
      Item item = shared.items.front();
      shared.items.erase(shared.items.begin());
      ++shared.times_consumed[item.serial];
      logging::info("Consumer notify: item number {} popped, {} left", item.number, shared.items.size());
      shared.condition.notify_all();
    }
    time::sleep(2);  // consume it, slowly
  }
}

void producer(Shared& shared) {
  for (int i = 0; i < kItems; ++i) {
    time::sleep(1);  // make the next item
    // Wait while the list is full, then append the item
    std::lock_guard hold(shared.condition);
    while (static_cast<int>(shared.items.size()) >= kCapacity) {
      logging::info("Producer is waiting: the list is full");
      shared.condition.wait();
    }
    Item item{shared.next_serial++, random::randint(0, 1000)};
    shared.items.push_back(item);
    shared.most_seen = std::max(shared.most_seen, static_cast<int>(shared.items.size()));
    logging::info("Producer notify: item number {} appended, {} in the list", item.number, shared.items.size());
    shared.condition.notify_all();
  }
}

Check check_bounds(const Shared& shared);

}  // namespace

Check run_condition_producer_consumer(const Context&) {
  logging::basic_config(logging::INFO, "%(asctime)s %(threadName)-17s %(levelname)-8s %(message)s");
  Shared shared;
  shared.times_consumed.assign(2 * kItems, 0);

  // Two consumers and two producers on the same list, all joined
  std::vector<std::unique_ptr<Thread>> threads;
  for (auto role : {consumer, consumer, producer, producer})
    threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [&shared, role] { role(shared); }}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  return check_bounds(shared);
}

namespace {

// The bounds held, and each item was consumed once.
Check check_bounds(const Shared& shared) {
  if (shared.most_seen > kCapacity)
    return {false, fmt::format("the list held {} items, more than {}", shared.most_seen, kCapacity)};
  if (shared.empty_pops > 0) return {false, fmt::format("{} pops found the list empty", shared.empty_pops)};
  if (shared.next_serial != 2 * kItems)
    return {false, fmt::format("{} items produced, expected {}", shared.next_serial, 2 * kItems)};
  for (int serial = 0; serial < shared.next_serial; ++serial)
    if (shared.times_consumed[serial] != 1)
      return {false, fmt::format("item {} was consumed {} times", serial + 1, shared.times_consumed[serial])};
  return {true, fmt::format("the list never held more than {} items (at most {}) nor was popped empty; "
                            "{}/{} items consumed exactly once",
                            kCapacity, shared.most_seen, shared.next_serial, 2 * kItems)};
}

}  // namespace

}  // namespace concur::demos
