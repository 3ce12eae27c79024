// multiprocessing.Value and Array: numbers in shared memory that forked children change and
// the parent sees; and a plain list, which every child only changes in its own copy.
//
// Unit 003 "Example: Using Value and Array" and its later Value/Array program (`value-array`,
// the default): three processes each add 1 to a Value (under get_lock()) and to every item
// of an Array; the parent prints "Shared Value: 3" and "Shared Array: [3, 3, 3]". Then two
// processes each add 1 five times to Value('i', 0) and to Array('i', [1, 2, 3]), holding the
// lock (and sleeping 1 s) each time: "Final shared value: 10", "Final shared array: [11, 12, 13]".
// Tutorial 004 "Ctypes-Array & Value" (`ctypes`, Python's documentation example): a child
// sets Value('d') to 3.1415927 and negates Array('i', range(10)).
// Unit 003 "Multiprocessing Example: Using Lock" (`unshared`): three children append five
// 1s each to a plain std::vector under a lock; fork gave each child its own copy of the
// parent's memory, so the parent's list is still empty: "Final List Length: 0".
// Value and Array live in mmap(MAP_SHARED) memory made before fork (process/shared.h).
#include <functional>
#include <list>
#include <numeric>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "core/process/shared.h"

namespace concur::demos {

namespace {

using process::Process;
using process::SharedArray;
using process::SharedLock;
using process::SharedValue;

// 003 "Example: Using Value and Array": the Value under its lock, the Array item by item.
void increment(SharedValue<int>& shared_value, SharedArray<int>& shared_array) {
  {
    std::lock_guard with(shared_value.get_lock());
    shared_value.value += 1;
  }
  for (std::size_t i = 0; i < shared_array.size(); ++i) shared_array[i] += 1;
}

// 003's Value/Array program: five rounds, each change under the object's own lock.
void increment_five(SharedValue<int>& shared_val, SharedArray<int>& shared_arr) {
  for (int round = 0; round < 5; ++round) {
    {
      std::lock_guard with(shared_val.get_lock());
      shared_val.value += 1;
    }
    std::lock_guard with(shared_arr.get_lock());
    for (std::size_t i = 0; i < shared_arr.size(); ++i) shared_arr[i] += 1;
    time::sleep(1);  // simulate some processing time
  }
}

// 004 "Ctypes-Array & Value".
void f(SharedValue<double>& n, SharedArray<int>& a) {
  n.value = 3.1415927;
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = -a[i];
}

// 003 "Multiprocessing Example: Using Lock": appends to the child's own copy of the list.
void worker(SharedLock& lock, std::vector<int>& shared_list) {
  std::lock_guard with(lock);
  for (int i = 0; i < 5; ++i) shared_list.push_back(1);
}

// Starts one process per target, then joins them all; true when every one exited with 0.
bool start_and_join(const std::vector<std::function<void()>>& targets) {
  std::list<Process> processes;
  for (const auto& target : targets) processes.emplace_back(process::ProcessArgs{.target = target});
  for (Process& p : processes) p.start();
  for (Process& p : processes) p.join();
  bool ok = true;
  for (Process& p : processes) ok = ok && p.exitcode() == 0;
  return ok;
}

}  // namespace

Check run_shared_memory_value_array(const Context&) {
  // Three processes, one Value and one Array of three.
  SharedValue<int> shared_value('i', 0);
  SharedArray<int> shared_array('i', {0, 0, 0});
  auto one = [&] { increment(shared_value, shared_array); };
  bool ok = start_and_join({one, one, one});
  int value = shared_value.value;
  std::vector<int> array = shared_array.list();
  print("Shared Value: {}", shared_value.value.repr());
  print("Shared Array: {}", shared_array.repr());

  // Two processes, five locked rounds each.
  SharedValue<int> shared_val('i', 0);
  SharedArray<int> shared_arr('i', {1, 2, 3});
  auto five = [&] { increment_five(shared_val, shared_arr); };
  ok = start_and_join({five, five}) && ok;
  int final_value = shared_val.value;
  std::vector<int> final_array = shared_arr.list();
  print("Final shared value: {}", shared_val.value.repr());
  print("Final shared array: {}", shared_arr.repr());

  // The Array's items are added to without a lock, as in the lecture: two children adding
  // at the same moment can lose one of the adds (a load and a store, not one step). Each
  // item is 1 to 3, then; what was locked is exact.
  int lost = 0;
  bool each_counted = array.size() == 3;
  for (int item : array) {
    each_counted = each_counted && item >= 1 && item <= 3;
    lost += 3 - item;
  }
  bool exact = value == 3 && each_counted && final_value == 10 && final_array == std::vector<int>{11, 12, 13};
  return {ok && exact,
          fmt::format("the parent read what the children wrote: value {} (3), array {}{}, then {} (10), {}", value,
                      shared_array.repr(),
                      lost > 0 ? fmt::format(" (the unlocked adds lost {} update(s), as they may)", lost) : "",
                      final_value, shared_arr.repr())};
}

Check run_shared_memory_ctypes(const Context&) {
  // A double Value and Array('i', range(10)), changed by one child.
  SharedValue<double> num('d', 0.0);
  std::vector<int> range(10);
  std::iota(range.begin(), range.end(), 0);
  SharedArray<int> arr('i', range);
  bool ok = start_and_join({[&] { f(num, arr); }});
  print("{}", num.value.repr());
  print("{}", arr.repr());
  std::vector<int> negated = arr.list();
  bool exact = num.value == 3.1415927;
  for (int i = 0; i < 10; ++i) exact = exact && negated[i] == -i;
  return {ok && exact, fmt::format("the child's writes are in the parent: {} and {} negated items", num.value.repr(),
                                   exact ? "10/10" : "not all")};
}

Check run_shared_memory_unshared(const Context&) {
  // A plain list; each child appends to its own copy. A shared Array records each child's
  // own length, for the check only.
  process::SharedBlock lock_memory(0);
  SharedLock& lock = lock_memory.lock();
  std::vector<int> shared_list;
  SharedArray<int> child_lengths('i', 3);
  std::vector<std::function<void()>> targets;
  for (std::size_t i = 0; i < 3; ++i)
    targets.push_back([&, i] {
      worker(lock, shared_list);
      child_lengths[i] = static_cast<int>(shared_list.size());
    });
  bool ok = start_and_join(targets);
  print("Final List Length: {}", shared_list.size());
  bool unchanged = shared_list.empty() && child_lengths.list() == std::vector<int>{5, 5, 5};
  return {ok && unchanged, fmt::format("each child's own copy grew to {}; the parent's list still holds {} items",
                                       child_lengths.repr(), shared_list.size())};
}

}  // namespace concur::demos
