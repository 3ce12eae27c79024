// rlock: why the lecture's Box needs a re-entrant lock (001 "Implementing RLock").
//
// Box.add() and Box.remove() take the box's lock and then call execute(), which takes the
// same lock again. An adder thread adds randint(10, 20) items and a remover thread removes
// randint(1, 10), one a lecture second. With an RLock (the default) the owner's second
// acquire just counts up and both threads finish. The `lock` variant runs the very same
// code with a plain Lock: the first nested acquire waits for a lock its own thread holds,
// for ever. The core's deadlock detector reports it and unwinds that thread; its RAII guard
// releases box.lock on the way out.
#include <mutex>
#include <string>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// The box's lock: an RLock as in the lecture, or a plain Lock to show why it must be one.
class BoxLock {
 public:
  explicit BoxLock(bool reentrant) : reentrant_(reentrant) {}
  void lock() { reentrant_ ? rlock_.acquire() : plain_.acquire(); }
  void unlock() { reentrant_ ? rlock_.release() : plain_.release(); }

 private:
  bool reentrant_;
  RLock rlock_{"box.lock"};
  Lock plain_{"box.lock"};
};

class Box {
 public:
  explicit Box(bool reentrant) : lock(reentrant) {}

  void execute(int value) {
    std::lock_guard with(lock);
    total_items += value;
  }
  void add() {
    std::lock_guard with(lock);
    execute(1);
  }
  void remove() {
    std::lock_guard with(lock);
    execute(-1);
  }

  BoxLock lock;
  int total_items = 0;
};

void adder(Box& box, int items) {
  print("N° {} items to ADD", items);
  while (items) {
    box.add();
    time::sleep(1);
    items -= 1;
    print("ADDED one item -->{} item to ADD", items);
  }
}

void remover(Box& box, int items) {
  print("N° {} items to REMOVE", items);
  while (items) {
    box.remove();
    time::sleep(1);
    items -= 1;
    print("REMOVED one item -->{} item to REMOVE", items);
  }
}

Check check_box(const Box& box, const Thread& t1, const Thread& t2, int adds, int removes, bool reentrant);

// Both variants: the lecture's Box, with an RLock (`reentrant`) or a plain Lock.
Check run_box(bool reentrant) {
  Box box(reentrant);

  // Draw the two counts, then start the adder and the remover on the same box.
  int adds = static_cast<int>(random::randint(10, 20));
  int removes = static_cast<int>(random::randint(1, 10));
  Thread t1({.target = [&] { adder(box, adds); }, .target_name = "adder"});
  Thread t2({.target = [&] { remover(box, removes); }, .target_name = "remover"});
  t1.start();
  t2.start();

  // Wait for both, as the lecture's main() does. With a plain Lock, whichever thread takes
  // box.lock first blocks on its own nested acquire; the core reports that and unwinds the
  // thread, whose guard frees box.lock. The other thread then takes it and blocks the
  // same way, and is reported and unwound in turn.
  t1.join();
  t2.join();
  return check_box(box, t1, t2, adds, removes, reentrant);
}

}  // namespace

Check run_rlock_rlock(const Context&) { return run_box(/*reentrant=*/true); }
Check run_rlock_lock(const Context&) { return run_box(/*reentrant=*/false); }

namespace {

// With the RLock the counts add up; with the plain Lock each thread deadlocked on its nested
// acquire, was reported and unwound. Who deadlocked first: the thread named in the first
// report's headline.
Check check_box(const Box& box, const Thread& t1, const Thread& t2, int adds, int removes, bool reentrant) {
  auto report = deadlock::report_lines();
  std::string first = !report.empty() && report[0].find(t2.name()) != std::string::npos ? t2.name() : t1.name();
  if (reentrant)
    return {box.total_items == adds - removes,
            fmt::format("total_items = {} = {} added - {} removed", box.total_items, adds, removes)};
  std::string second = first == t1.name() ? t2.name() : t1.name();
  return {deadlock::reported() && box.total_items == 0,
          fmt::format("a plain Lock is not re-entrant: {} deadlocked on its nested acquire of box.lock, was "
                      "reported and unwound (its guard freed box.lock); then {} did the same; total_items = {}",
                      first, second, box.total_items)};
}

}  // namespace

}  // namespace concur::demos
