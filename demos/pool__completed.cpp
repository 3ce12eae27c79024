// The `pool` demo's 002 "Thread Pooling with concurrent.futures" on processes
// (`as-completed` with --executor process): the same ten tasks go to a
// ProcessPoolExecutor of five worker processes. Each task runs, prints and sleeps in a
// worker; its result crosses back through a pipe, and only then is its Future done, so
// as_completed still hands the futures back in finishing order.
//
// A worker draws its random sleep from its own stream (Python reseeds `random` in each
// child too), and which worker takes which task is a race: the sleeps differ from run to
// run even with --seed. A worker's "will sleep" line reaches the terminal through the
// parent's relay, so it may show up a moment after main's own lines.
#include <array>
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/pool.h"

namespace concur::demos {

// A function that simulates a time-consuming task
process::Value pool::numbered_task(const process::List& args) {
  long long n = args.at(0).as_int();
  double sleep_time = random::uniform(0.5, 2.0);  // Random sleep time between 0.5 and 2 seconds
  print("Task {} will sleep for {:.2f} seconds.", n, sleep_time);
  time::sleep(sleep_time);
  return fmt::format("Task {} completed.", n);
}

namespace {
Check check_on_processes(const std::array<std::atomic<int>, kNumTasks>& resolved, const CompletionOrder& order,
                         int yielded, std::size_t results, int workers);
}  // namespace

Check as_completed_on_processes() {
  std::vector<std::string> results;
  std::map<Future<process::Value>, int> future_to_task;
  std::array<std::atomic<int>, kNumTasks> resolved{};  // done callbacks per task (check)
  CompletionOrder order;
  int yielded = 0, workers = 0;
  {
    // Using ProcessPoolExecutor to manage processes
    process::ProcessPoolExecutor executor(5);

    // Submit tasks to the executor
    for (int i = 0; i < kNumTasks; ++i) {
      Future<process::Value> future = executor.submit("pool.numbered_task", {i});
      future_to_task[future] = i;
      order.done.push_back([future] { return future.done(); });
      future.add_done_callback([&resolved, i](const Future<process::Value>&) { ++resolved[i]; });
    }

    // Process the results as they complete
    for (const Future<process::Value>& future : as_completed(future_to_task)) {
      int task_number = future_to_task[future];
      order.came_out(task_number);
      ++yielded;
      try {
        std::string result = future.result().as_str();  // Get the result of the task
        results.push_back(result);
        print("{}", result);
      } catch (const std::exception& exc) {
        print("Task {} generated an exception: {}", task_number, exc.what());
      }
    }
    workers = static_cast<int>(executor.processes().size());
  }  // leaving the with block: shutdown(wait=True)

  print("All tasks have been completed.");
  return check_on_processes(resolved, order, yielded, results.size(), workers);
}

namespace {

// Every future resolved once, came out once, in the order the tasks finished.
Check check_on_processes(const std::array<std::atomic<int>, kNumTasks>& resolved, const CompletionOrder& order,
                         int yielded, std::size_t results, int workers) {
  int once = 0;
  for (const auto& r : resolved) once += r.load() == 1;
  int wrong = order.out_of_order();
  bool each_once = once == kNumTasks && yielded == kNumTasks;
  return {each_once && wrong == 0 && results == kNumTasks && workers == 5,
          fmt::format("{}/{} futures resolved once and came out of as_completed once, in completion order "
                      "({} out of order), from {} worker processes",
                      once, kNumTasks, wrong, workers)};
}

}  // namespace

}  // namespace concur::demos
