// The parts of the `pool` demo: demos/pool.cpp runs the 002 `as-completed` variant on
// threads, and for each variant that reads --executor chooses the threads or the processes
// version from the parts below.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::net {
struct Page;
}  // namespace concur::net

namespace concur::demos {

// pool__futures.cpp: 003 "Using ThreadPoolExecutor to Execute Tasks from a Pool of Worker
// Threads" (`square`), 004 "How to create a ThreadPoolExecutor?" (`future`) and 004 "Use
// of Executor.map() function" (`map`).
Check square_on_threads();
Check future_on_threads();
Check map_on_threads();

// pool__process.cpp: the same three on a ProcessPoolExecutor (--executor process), 004
// "How to create a ProcessPoolExecutor?" and "Use of the Executor.map() function".
Check square_on_processes();
Check future_on_processes();
Check map_on_processes();

// pool__counting.cpp: 004 "When to use ProcessPoolExecutor and ThreadPoolExecutor?"
// (`counting`), on threads or (processes = true) on processes.
Check counting_on(bool processes);

// pool__completed.cpp: the 002 `as-completed` variant on a ProcessPoolExecutor.
Check as_completed_on_processes();

// pool__mp.cpp is multiprocessing.Pool (`mp-pool`, processes only, a run function of its
// own in demos.h): 003 "Using Pool for Parallel Execution", "Asynchronous Execution with
// apply_async" and 004 "Pool Class".

// The as-completed check (pool.cpp), for threads and processes alike, and for `fetch`'s
// pages: each time as_completed hands out a future, which tasks had finished (looked at
// first) and which had not (looked at afterwards). A task seen finished at some moment
// finished before any task seen unfinished after that moment, so it must come out of
// as_completed first.
constexpr int kNumTasks = 10;  // Number of tasks to execute
struct CompletionOrder {
  std::vector<std::function<bool()>> done;  // in task order: is its future done now?
  std::vector<int> position;                // when each came out (-1: not yet)
  std::vector<std::vector<int>> finished_before, unfinished_after;
  void came_out(int task_number);
  // Pairs (earlier finisher, later finisher) that as_completed handed out the wrong way round.
  int out_of_order() const;
};

// pool__fetch.cpp: 004 "ThreadPoolExecutor" (`fetch`): the lecture's URLS, load_url, and
// the pages a local proxy serves for them (kFetchPages, in net/http.h's Page); its run
// function is in demos.h. pool__fetch_process.cpp: the same program on a
// ProcessPoolExecutor (--executor process), 004 "Pool of Processes".
extern const std::vector<std::string> kFetchUrls;
extern const std::vector<net::Page> kFetchPages;
std::string load_url(const std::string& url, double timeout);
Check fetch_on_processes();

// What `fetch`'s check watches from outside the lecture's loop, on threads and processes:
// the futures' done callbacks and the order they came out in (by URL, in kFetchUrls order),
// the pages that came intact, and the failure.
struct FetchWatch {
  std::array<std::atomic<int>, 5> resolved{};  // done callbacks per URL
  CompletionOrder order;
  int intact = 0;
  std::string failed_url, failure;
  void came_out(const std::string& url);
  void got(const std::string& url, const std::string& data);
  void failed(const std::string& url, const std::string& what);
  // The check: `workers` names where load_url ran ("threads", "worker processes").
  Check check(const std::string& workers) const;
};

// The functions worker processes call by name; process_targets.cpp registers each as
// "pool.NAME" (Python sends a function to a worker by its qualified name).
namespace pool {
process::Value square_num(const process::List& args);     // 003: prints "Square of n: n²."
process::Value task(const process::List& args);           // 004: sleep(2), return message
process::Value square(const process::List& args);         // 004 map, 003/004 Pool: n * n
process::Value counting(const process::List& args);       // 004: count n down, return seconds
process::Value numbered_task(const process::List& args);  // 002: task(n), a random sleep
process::Value worker_function(const process::List& args);  // 003 apply_async: x * 2
process::Value load_url(const process::List& args);        // 004: the page at (url, timeout)
}  // namespace pool

}  // namespace concur::demos
