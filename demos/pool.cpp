// Thread and process pools and futures: hand calls to a pool of workers, get Futures back.
//
// Notebook 002 "Thread Pooling with concurrent.futures" (`as-completed`, the default): ten
// tasks, each sleeping uniform(0.5, 2.0) seconds, go to a ThreadPoolExecutor of five
// workers; `future_to_task` maps each Future to its task number, and as_completed() hands
// the futures back as they finish, so "Task N completed." lines come in finishing order,
// not in task order. The other variants live in the parts: `square`, `future` and `map`
// (003 and 004) in pool__futures.cpp, `counting` (004, CPU-bound) in pool__counting.cpp.
// `--executor process` runs each variant on a ProcessPoolExecutor instead (pool__process.cpp,
// pool__completed.cpp, pool__counting.cpp); `mp-pool` is multiprocessing.Pool (pool__mp.cpp).
//
// The check watches the futures from outside: each done callback must run exactly once,
// and as_completed must never hand out a future before one that had finished earlier
// (see CompletionOrder in pool.h).
#include <array>
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/pool.h"

namespace concur::demos {
namespace {

// A function that simulates a time-consuming task
std::string task(int n) {
  double sleep_time = random::uniform(0.5, 2.0);  // Random sleep time between 0.5 and 2 seconds
  print("Task {} will sleep for {:.2f} seconds.", n, sleep_time);
  time::sleep(sleep_time);
  return fmt::format("Task {} completed.", n);
}

// Each variant that reads --executor runs on threads, or on processes.
bool on_processes(const Context& ctx) { return ctx.choice("executor") == "process"; }

Check check_as_completed(const std::array<std::atomic<int>, kNumTasks>& resolved, const CompletionOrder& order,
                         int yielded, std::size_t results, int workers, const std::string& came_out);

}  // namespace

Check run_pool_as_completed(const Context& ctx) {
  if (on_processes(ctx)) return as_completed_on_processes();
  std::vector<std::string> results;
  std::map<Future<std::string>, int> future_to_task;
  std::array<std::atomic<int>, kNumTasks> resolved{};  // done callbacks per task (check)
  CompletionOrder order;
  int yielded = 0, workers = 0;
  std::string came_out;  // task numbers in the order as_completed gave them (for --runs)
  {
    // Using ThreadPoolExecutor to manage threads
    ThreadPoolExecutor executor(5);

    // Submit tasks to the executor
    for (int i = 0; i < kNumTasks; ++i) {
      Future<std::string> future = executor.submit(task, i);
      future_to_task[future] = i;
      order.done.push_back([future] { return future.done(); });
      future.add_done_callback([&resolved, i](const Future<std::string>&) { ++resolved[i]; });
    }

    // Process the results as they complete
    for (const Future<std::string>& future : as_completed(future_to_task)) {
      int task_number = future_to_task[future];
      order.came_out(task_number);
      came_out += (came_out.empty() ? "" : " ") + std::to_string(task_number);
      ++yielded;
      try {
        std::string result = future.result();  // Get the result of the task
        results.push_back(result);
        print("{}", result);
      } catch (const std::exception& exc) {
        print("Task {} generated an exception: {}", task_number, exc.what());
      }
    }
    workers = executor.worker_count();
  }  // leaving the with block: shutdown(wait=True)

  print("All tasks have been completed.");

  return check_as_completed(resolved, order, yielded, results.size(), workers, came_out);
}

// The parts' variants that read --executor (pool.h)
Check run_pool_square(const Context& ctx) { return on_processes(ctx) ? square_on_processes() : square_on_threads(); }
Check run_pool_future(const Context& ctx) { return on_processes(ctx) ? future_on_processes() : future_on_threads(); }
Check run_pool_map(const Context& ctx) { return on_processes(ctx) ? map_on_processes() : map_on_threads(); }
Check run_pool_counting(const Context& ctx) { return counting_on(on_processes(ctx)); }

namespace {

// Every future resolved once, came out once, in the order the tasks finished.
Check check_as_completed(const std::array<std::atomic<int>, kNumTasks>& resolved, const CompletionOrder& order,
                         int yielded, std::size_t results, int workers, const std::string& came_out) {
  int once = 0;
  for (const auto& r : resolved) once += r.load() == 1;
  int wrong = order.out_of_order();
  bool each_once = once == kNumTasks && yielded == kNumTasks;
  return {each_once && wrong == 0 && results == kNumTasks && workers <= 5,
          fmt::format("{}/{} futures resolved once and came out of as_completed once, in completion order "
                      "({} out of order), on {} worker thread(s) (max 5)",
                      once, kNumTasks, wrong, workers),
          {{"first task out", came_out.substr(0, came_out.find(' '))}, {"completion order", came_out}}};
}

}  // namespace

// The as-completed check, for threads and processes alike (pool.h).

void CompletionOrder::came_out(int task_number) {
  int n = static_cast<int>(done.size());
  position.resize(n, -1);
  std::vector<int> finished, unfinished;
  for (int t = 0; t < n; ++t)
    if (done[t]()) finished.push_back(t);
  for (int t = 0; t < n; ++t)
    if (!done[t]()) unfinished.push_back(t);
  finished_before.push_back(finished);
  unfinished_after.push_back(unfinished);
  if (position[task_number] < 0) position[task_number] = static_cast<int>(finished_before.size()) - 1;
}

int CompletionOrder::out_of_order() const {
  int wrong = 0;
  for (std::size_t k = 0; k < finished_before.size(); ++k)
    for (int early : finished_before[k])
      for (int late : unfinished_after[k])
        if (position[late] >= 0 && position[late] < position[early]) ++wrong;
  return wrong;
}

}  // namespace concur::demos
