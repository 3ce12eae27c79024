// The `pool` demo's small examples on a pool of processes (--executor process).
//
// 004 "How to create a ProcessPoolExecutor?" (`future`): the same task as on threads,
// submitted to ProcessPoolExecutor(5). The lecture prints False, False, Completed: the
// second done() races main's own sleep(2) against the task's sleep(2) plus what a process
// adds (the job crossing a pipe to a worker, the result crossing back), so with processes
// it usually says False. 004 "Use of the Executor.map() function" (`map`): map(square,
// [2, 3, 4, 5]) on three worker processes, in input order. `square`: the 003 squares, each
// printed by the worker process that computes it.
//
// Functions cross to the workers BY NAME ("pool.square"), as Python pickles a function by
// its qualified name; process_targets.cpp registers them. Arguments and results are
// process::Values.
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/pool.h"

namespace concur::demos {

namespace pool {

// Function to evaluate square number
process::Value square_num(const process::List& args) {
  long long num = args.at(0).as_int();
  print("Square of {}: {}.", num, num * num);
  return process::None{};
}

// The 004 task: wait two seconds, then hand the message back
process::Value task(const process::List& args) {
  time::sleep(2);
  return args.at(0);
}

process::Value square(const process::List& args) { return args.at(0).as_int() * args.at(0).as_int(); }

}  // namespace pool

namespace {

const char* py_bool(bool b) { return b ? "True" : "False"; }

int reaped_cleanly(const process::ProcessPoolExecutor& executor);

Check check_square(const std::vector<Future<process::Value>>& tasks, const process::ProcessPoolExecutor& executor);

}  // namespace

Check square_on_processes() {
  // Creating pool of 4 processes
  process::ProcessPoolExecutor executor(4);

  // Four tasks, each printing its own square (in the worker that runs it)
  Future<process::Value> task1 = executor.submit("pool.square_num", {5});
  Future<process::Value> task2 = executor.submit("pool.square_num", {2});
  Future<process::Value> task3 = executor.submit("pool.square_num", {55});
  Future<process::Value> task5 = executor.submit("pool.square_num", {4});

  // Wait for tasks to complete and then shutdown
  executor.shutdown();
  return check_square({task1, task2, task3, task5}, executor);
}

Check future_on_processes() {
  process::ProcessPoolExecutor executor(5);
  double submitted = time::perf_counter();
  Future<process::Value> future = executor.submit("pool.task", {"Completed"});

  // At once: the task has two seconds of sleeping ahead of it, in another process
  bool done_at_once = future.done();
  double asked = time::perf_counter() - submitted;
  print("{}", py_bool(done_at_once));

  // Two seconds later: a race the process's overhead usually loses (see `concur explain pool`)
  time::sleep(2);
  bool done_after_sleep = future.done();
  double asked_again = time::perf_counter() - submitted;
  print("{}", py_bool(done_after_sleep));

  // result() waits if it must, then hands back the task's return value
  std::string result = process::str(future.result());
  print("{}", result);

  // done() may only say True once the task's 2 s have passed.
  bool honest = (!done_at_once || asked >= 2.0) && (!done_after_sleep || asked_again >= 2.0);
  return {honest && result == "Completed" && future.done(),
          fmt::format("done() was {} {:.2f} s after submit, {} {:.2f} s after (the result had {}come back from "
                      "the worker process), and result() returned '{}'",
                      py_bool(done_at_once), asked, py_bool(done_after_sleep), asked_again,
                      done_after_sleep ? "" : "not yet ", result)};
}

Check map_on_processes() {
  std::vector<long long> printed;
  {
    // with ProcessPoolExecutor(max_workers=3) as executor: results = executor.map(square, values)
    process::ProcessPoolExecutor executor(3);
    MapResults<process::Value> results = executor.map("pool.square", {2, 3, 4, 5});
    executor.shutdown();  // the with block ends

    // The results, in the order of the values
    for (const process::Value& result : results) {
      print("{}", process::str(result));
      printed.push_back(result.as_int());
    }
  }

  // Check: one result per value, in input order
  bool in_order = printed == std::vector<long long>{4, 9, 16, 25};
  return {in_order, fmt::format("map yielded {} in input order ({}/4 results) from 3 worker processes",
                                fmt::join(printed, " "), printed.size())};
}

namespace {

// Checks every worker of an executor that has been shut down was reaped with exit code 0.
int reaped_cleanly(const process::ProcessPoolExecutor& executor) {
  int n = 0;
  for (const auto& worker : executor.processes()) n += worker->exitcode() == 0;
  return n;
}

// After shutdown() every future is finished, and every worker reaped.
Check check_square(const std::vector<Future<process::Value>>& tasks, const process::ProcessPoolExecutor& executor) {
  int finished = 0;
  for (const Future<process::Value>& f : tasks)
    finished += f.done() && !f.cancelled() && !f.exception();
  int reaped = reaped_cleanly(executor);
  return {finished == 4 && reaped == 4,
          fmt::format("{}/4 futures finished without an exception once shutdown() returned; {}/4 worker "
                      "processes ({}...) exited and were reaped",
                      finished, reaped, executor.processes().at(0)->name())};
}

}  // namespace

}  // namespace concur::demos
