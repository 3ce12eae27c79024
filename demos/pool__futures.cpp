// The `pool` demo's small examples: submit, a Future's done() and result(), and map.
//
// 003 "Using ThreadPoolExecutor to Execute Tasks from a Pool of Worker Threads" (`square`):
// four square_num calls on a pool of four, then shutdown(), which waits for them.
// 004 "How to create a ThreadPoolExecutor?" (`future`): a task that sleeps 2 seconds;
// done() is False at once, main sleeps 2 seconds too and asks again, then result().
// 004 "Use of Executor.map() function" (`map`): map(square, [2, 3, 4, 5]) on three workers,
// the results read after the pool is shut down, in input order.
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/pool.h"

namespace concur::demos {
namespace {

const char* py_bool(bool b) { return b ? "True" : "False"; }

// Function to evaluate square number
void square_num(int num) { print("Square of {}: {}.", num, num * num); }

// The 004 task: wait two seconds, then hand the message back
std::string task(std::string message) {
  time::sleep(2);
  return message;
}

int square(int n) { return n * n; }

Check check_square(const std::vector<Future<void>>& tasks, ThreadPoolExecutor& executor);

}  // namespace

Check square_on_threads() {
  // Creating pool of 4 threads
  ThreadPoolExecutor executor(4);

  // Four tasks, each printing its own square
  Future<void> task1 = executor.submit(square_num, 5);
  Future<void> task2 = executor.submit(square_num, 2);
  Future<void> task3 = executor.submit(square_num, 55);
  Future<void> task5 = executor.submit(square_num, 4);

  // Wait for tasks to complete and then shutdown
  executor.shutdown();
  return check_square({task1, task2, task3, task5}, executor);
}

Check future_on_threads() {
  ThreadPoolExecutor executor(5);
  double submitted = time::perf_counter();
  Future<std::string> future = executor.submit(task, std::string("Completed"));

  // At once: the task has two seconds of sleeping ahead of it
  bool done_at_once = future.done();
  double asked = time::perf_counter() - submitted;
  print("{}", py_bool(done_at_once));

  // Two seconds later: a race between two 2-second sleeps (see `concur explain pool`)
  time::sleep(2);
  bool done_after_sleep = future.done();
  print("{}", py_bool(done_after_sleep));

  // result() waits if it must, then hands back the task's return value
  std::string result = future.result();
  print("{}", result);

  // done() may only say True once the task's 2 s have passed (a very slow machine can
  // make even the first question come that late).
  bool honest = !done_at_once || asked >= 2.0;
  return {honest && result == "Completed" && future.done(),
          fmt::format("done() was {} {:.2f} s after submit{}, {} after main's own sleep(2) (a race), "
                      "and result() returned '{}'",
                      py_bool(done_at_once), asked, done_at_once ? " (the 2 s had passed)" : " (the task still slept)",
                      py_bool(done_after_sleep), result)};
}

Check map_on_threads() {
  std::vector<int> values = {2, 3, 4, 5};
  std::vector<int> printed;

  // with ThreadPoolExecutor(max_workers=3) as executor: results = executor.map(square, values)
  ThreadPoolExecutor executor(3);
  MapResults<int> results = executor.map(square, values);
  executor.shutdown();  // the with block ends

  // The results, in the order of the values
  for (int result : results) {
    print("{}", result);
    printed.push_back(result);
  }

  // Check: one result per value, in input order
  bool in_order = printed == std::vector<int>{4, 9, 16, 25};
  return {in_order, fmt::format("map yielded {} in input order ({}/4 results)", fmt::join(printed, " "),
                                printed.size())};
}

namespace {

// After shutdown() every future is finished, without an exception.
Check check_square(const std::vector<Future<void>>& tasks, ThreadPoolExecutor& executor) {
  int finished = 0;
  for (const Future<void>& f : tasks)
    finished += f.done() && !f.cancelled() && !f.exception();
  return {finished == 4 && executor.worker_count() <= 4,
          fmt::format("{}/4 futures finished without an exception once shutdown() returned, on {} worker "
                      "thread(s) (max 4)",
                      finished, executor.worker_count())};
}

}  // namespace

}  // namespace concur::demos
