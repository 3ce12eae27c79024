// queue, part 3: 004's FIFO, LIFO and priority queues (`kinds`, with --kind and --threads).
//
// With --threads 0, the single-thread programs: "FIFO queue with single thread" puts
// item-0 … item-7 and gets them back on one line, item-0 item-1 …; the LIFO one gets
// item-7 item-6 …; "Priority queue with single thread" puts (2, 'Urgent'), (1, 'Most
// Urgent'), (10, 'Nothing important'), (5, 'Important') and prints 1 - Most Urgent first.
// With --threads N, the multi-thread programs: 0 … 4 are put (twice over for the priority
// queue: the slide's q.put(i, 1) passes 1 as `block`, not as a priority), then N threads
// run myqueue(), each printing "<Thread(Thread-1, started 5044)> removed 0 from the queue"
// and pausing 2 s (1 s for the priority queue) after each item.
//
// The lecture's myqueue() checks empty() and then calls get(): between the two another
// thread may take the last item, and get() would then wait for ever. Here the get does not
// block (get_nowait(); Empty ends the loop). What the queue promises is the order of the
// removals themselves; the lines may still print out of that order, since a thread can be
// paused between its get and its print. So each removal is noted under a lock held across
// the get; the check compares the notes with the kind's order, and sees that threads took turns.
#include <fmt/ranges.h>

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// The removals, in the order the queue made them, and who made each.
struct Removals {
  Lock mutex{"removals"};  // a core Lock: get_nowait() below is a scheduling point
  std::vector<int> order;
  std::set<std::string> removers;  // the threads that removed items
};

// repr(threading.current_thread()), with the thread's OS id as the slide's id.
std::string current_thread_repr() {
  return fmt::format("<Thread({}, started {})>", current_thread_name(), current_thread_state().native_id);
}

void myqueue(Queue<int>& queue, double pause, Removals& removals) {
  while (!queue.empty()) {
    int item = 0;
    try {
      std::lock_guard note(removals.mutex);
      item = queue.get_nowait();
      removals.order.push_back(item);
      removals.removers.insert(current_thread_name());
    } catch (const Empty&) {
      break;  // another thread took the last item since empty()
    }
    print("{} removed {} from the queue", current_thread_repr(), item);
    queue.task_done();
    time::sleep(pause);
  }
}

// How the check names a kind's order.
std::string order_name(const std::string& kind) {
  return kind == "fifo" ? "FIFO" : kind == "lifo" ? "LIFO" : "priority (lowest first)";
}

// The single-thread programs; return the order the items came out in.
std::vector<std::string> single_thread(const std::string& kind) {
  std::vector<std::string> got;
  if (kind == "priority") {
    PriorityQueue<std::pair<int, std::string>> p_queue;
    p_queue.put({2, "Urgent"});
    p_queue.put({1, "Most Urgent"});
    p_queue.put({10, "Nothing important"});
    p_queue.put({5, "Important"});
    while (!p_queue.empty()) {
      auto item = p_queue.get();
      print("{} - {}", item.first, item.second);
      got.push_back(fmt::format("{} - {}", item.first, item.second));
    }
    return got;
  }
  Queue<std::string> fifo;
  LifoQueue<std::string> lifo;
  Queue<std::string>& q = kind == "lifo" ? lifo : fifo;
  for (int i = 0; i < 8; ++i) q.put("item-" + std::to_string(i));
  while (!q.empty()) got.push_back(q.get());
  concur::print("{}", fmt::join(got, " "));  // print(q.get(), end=" ") for each
  return got;
}

Check check_removals(const Removals&, const std::vector<int>& expected, Queue<int>&, int threads_n, const std::string&);

}  // namespace

Check run_queue_kinds(const Context& ctx) {
  const std::string& kind = ctx.choice("kind");
  int threads_n = static_cast<int>(ctx.integer("threads"));
  if (threads_n == 0) {
    // One thread puts, then gets everything back
    std::vector<std::string> expected = {"1 - Most Urgent", "2 - Urgent", "5 - Important", "10 - Nothing important"};
    if (kind != "priority") {
      expected.clear();
      for (int i = 0; i < 8; ++i) expected.push_back("item-" + std::to_string(kind == "lifo" ? 7 - i : i));
    }
    std::vector<std::string> got = single_thread(kind);
    if (got != expected) return {false, fmt::format("got {} from the {} queue", fmt::join(got, ", "), kind)};
    return {true, fmt::format("{} items came out once each, in {} order", got.size(), order_name(kind))};
  }

  // Fill the queue before any thread starts
  Queue<int> fifo;
  LifoQueue<int> lifo;
  PriorityQueue<int> prio;
  Queue<int>& q = kind == "lifo" ? lifo : kind == "priority" ? prio : fifo;
  std::vector<int> expected;
  for (int round = 0; round < (kind == "priority" ? 2 : 1); ++round)
    for (int i = 0; i < 5; ++i) q.put(i);
  for (int i = 0; i < 5; ++i)
    for (int round = 0; round < (kind == "priority" ? 2 : 1); ++round) expected.push_back(kind == "lifo" ? 4 - i : i);

  // N threads empty it, each at its own pace
  Removals removals;
  double pause = kind == "priority" ? 1 : 2;
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < threads_n; ++i) {
    threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [&] { myqueue(q, pause, removals); }}));
    threads.back()->start();
  }
  for (auto& thread : threads) thread->join();
  return check_removals(removals, expected, q, threads_n, kind);
}

namespace {

// Every item removed once, in the kind's order; by more than one thread when there are several.
Check check_removals(const Removals& removals, const std::vector<int>& expected, Queue<int>& q, int threads_n,
                     const std::string& kind) {
  if (removals.order != expected)
    return {false,
            fmt::format("the removals were {}, not {}", fmt::join(removals.order, " "), fmt::join(expected, " "))};
  if (!q.empty()) return {false, fmt::format("{} items were left in the queue", q.qsize())};
  int took = static_cast<int>(removals.removers.size());
  if (threads_n > 1 && took < 2) return {false, "one thread took all the items: no other had a turn"};
  std::string who = fmt::format("{}{} threads", took == threads_n ? "" : fmt::format("{} of ", took), threads_n);
  return {true, fmt::format("{} items removed once each by {}, in {} order ({}) as the queue made them",
                            removals.order.size(), who, order_name(kind), fmt::join(removals.order, " "))};
}

}  // namespace
}  // namespace concur::demos
