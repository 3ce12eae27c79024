// Lock, part `safe-set`: a set made thread-safe by taking a lock in add and delete.
//
// 004 "Sets": extend_class wraps Python's set; its add() and delete() acquire the object's
// own lock, try the set operation, and release in the finally. 004 "Decorator": the same
// lock taken by a lock_decorator wrapped around each method (`with self._lock:`). Here four
// threads hammer each set at once, each adding its quarter of 0..99999 and deleting the odd
// ones again; without the lock a std::set would be corrupted, with it the set ends exact.
// (Python's set has no delete(); it is remove/discard. Here the method is `remove`.)
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

constexpr int kThreads = 4;
constexpr int kItems = 100000;  // ctx.loops(): 1000 in a --deterministic census or check

// 004 "Sets": the lock taken by hand in each method (the lecture's extend_class).
class ExtendClass {
 public:
  void add(int elem) {
    lock_.acquire();
    try {
      items_.insert(elem);
    } catch (...) {
      lock_.release();
      throw;
    }
    lock_.release();
  }
  void remove(int elem) {
    lock_.acquire();
    try {
      items_.erase(elem);
    } catch (...) {
      lock_.release();
      throw;
    }
    lock_.release();
  }
  std::set<int> items() {
    std::lock_guard with(lock_);
    return items_;
  }

 private:
  Lock lock_{"extend_class._lock"};
  std::set<int> items_;
};

// 004 "Decorator": lock_decorator(method) is a new method that runs `method` under the lock.
std::function<void(int)> lock_decorator(Lock& lock, std::function<void(int)> method) {
  return [&lock, method](int elem) {
    std::lock_guard with(lock);
    method(elem);
  };
}

// The lecture's Decorator_class: add and remove are the set's own, decorated.
class DecoratorClass {
  // Declared first: add and remove below are built around them.
  Lock lock_{"Decorator_class._lock"};
  std::set<int> items_;

 public:
  const std::function<void(int)> add = lock_decorator(lock_, [this](int elem) { items_.insert(elem); });
  const std::function<void(int)> remove = lock_decorator(lock_, [this](int elem) { items_.erase(elem); });
  std::set<int> items() {
    std::lock_guard with(lock_);
    return items_;
  }
};

// One hammering thread: add its block of the numbers, deleting each odd one right after.
void hammer(const std::function<void(int)>& add, const std::function<void(int)>& remove, int block, int items) {
  int added = 0, deleted = 0;
  for (int elem = block * items / kThreads; elem < (block + 1) * items / kThreads; ++elem) {
    add(elem);
    ++added;
    if (elem % 2 == 1) {
      remove(elem);
      ++deleted;
    }
  }
  print("{}: added {}, deleted {}", current_thread_name(), added, deleted);
}

// Python's set repr, shortened: {0, 2, 4, ..., 99998}.
std::string shown(const std::set<int>& items) {
  std::vector<int> first(items.begin(), std::next(items.begin(), std::min<std::size_t>(items.size(), 3)));
  std::string text = fmt::format("{{{}", fmt::join(first, ", "));
  if (items.size() > 4) text += ", ...";
  if (items.size() > 3) text += fmt::format(", {}", *items.rbegin());
  return text + "}";
}

// Runs kThreads hammer threads on one set at the same time and prints what it holds.
bool hammer_set(const std::string& name, int count, const std::function<void(int)>& add,
                const std::function<void(int)>& remove, const std::function<std::set<int>()>& items) {
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.push_back(std::make_unique<Thread>(
        ThreadArgs{.target = [&, i] { hammer(add, remove, i, count); }, .target_name = "hammer"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();

  std::set<int> held = items();
  std::set<int> evens;
  for (int elem = 0; elem < count; elem += 2) evens.insert(elem);
  print("{} holds {} items: {}", name, held.size(), shown(held));
  return held == evens;
}

}  // namespace

Check run_lock_safe_set(const Context& ctx) {
  int count = static_cast<int>(ctx.loops(kItems));

  // 004 "Sets": the lock taken by hand
  ExtendClass extend_set;
  bool extend_exact = hammer_set(
      "extend_class", count, [&](int e) { extend_set.add(e); }, [&](int e) { extend_set.remove(e); },
      [&] { return extend_set.items(); });

  // 004 "Decorator": the lock taken by the decorator
  DecoratorClass decorated_set;
  bool decorator_exact = hammer_set("Decorator_class", count, decorated_set.add, decorated_set.remove,
                                    [&] { return decorated_set.items(); });

  return {extend_exact && decorator_exact,
          fmt::format("{} threads x 2 sets: extend_class exact: {}, Decorator_class exact: {} "
                      "(the {} even numbers below {}, nothing else)",
                      kThreads, extend_exact ? "yes" : "no", decorator_exact ? "yes" : "no", count / 2, count)};
}

}  // namespace concur::demos
