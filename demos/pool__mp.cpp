// multiprocessing.Pool (`mp-pool`): a fixed set of worker processes, fed by map and
// apply_async.
//
// 003 "Example: Using Pool for Parallel Execution": `with Pool(processes=4) as pool:`,
// pool.map(square, [1, 2, 3, 4, 5]) prints [1, 4, 9, 16, 25]. 003 "Example: Asynchronous
// Execution with apply_async": five apply_async(worker_function, args=(i,)) on three
// processes, then get() on each: [0, 2, 4, 6, 8]. 004 "Python Multiprocessing Module –
// Pool Class": Pool(processes=4), map over range(5), close(), join(), then
// `Pool : [0, 1, 4, 9, 16]` (the slide calls pool.map(function_square, ...) on a `p` it
// named and a `square` it defined: the code it means is run).
//
// Each Pool forks its workers at once (ForkPoolWorker-N); the results come back in input
// order whatever worker computed them. Leaving a `with` block terminates the workers;
// close() then join() lets them finish and exit.
#include <signal.h>

#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/pool.h"

namespace concur::demos {

process::Value pool::worker_function(const process::List& args) { return args.at(0).as_int() * 2; }

namespace {

// For the check: the workers' pids, and whether each is gone (exited and reaped).
void remember(const process::Pool& pool, std::vector<int>& pids) {
  for (const auto& worker : pool.workers()) pids.push_back(*worker->pid());
}
bool gone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

Check check_mp_pool(const std::vector<int>& pids, process::Pool& p, const std::string& results,
                    const std::string& output, const std::string& p_outputs, const std::string& first_worker);

}  // namespace

Check run_pool_mp_pool(const Context&) {
  std::vector<int> pids;
  std::string results, output, p_outputs;
  std::string first_worker;

  // 003: with Pool(processes=4) as pool: results = pool.map(square, numbers)
  {
    process::Pool pool(4);  // Create a pool with 4 processes
    remember(pool, pids);
    first_worker = pool.workers().at(0)->name();
    process::List numbers = {1, 2, 3, 4, 5};
    results = process::repr(pool.map("pool.square", numbers));  // Apply the square function to each number
    print("{}", results);
  }

  // 003: five apply_async calls, then get() on each
  {
    process::Pool pool(3);
    remember(pool, pids);
    std::vector<process::AsyncResult> async_results;
    for (int i = 0; i < 5; ++i) async_results.push_back(pool.apply_async("pool.worker_function", {i}));
    process::List got;
    for (const process::AsyncResult& result : async_results) got.push_back(result.get());
    output = process::repr(got);
    print("{}", output);
  }

  // 004: p = multiprocessing.Pool(processes=4); p.map(square, inputs); p.close(); p.join()
  process::List inputs = {0, 1, 2, 3, 4};
  process::Pool p(4);
  remember(p, pids);
  p_outputs = process::repr(p.map("pool.square", inputs));
  p.close();
  p.join();
  print("Pool : {}", p_outputs);
  return check_mp_pool(pids, p, results, output, p_outputs, first_worker);
}

namespace {

// The lecture's three lists; every worker of the three pools reaped (the last pool's after a
// clean exit).
Check check_mp_pool(const std::vector<int>& pids, process::Pool& p, const std::string& results,
                    const std::string& output, const std::string& p_outputs, const std::string& first_worker) {
  int reaped = 0, clean = 0;
  for (int pid : pids) reaped += gone(pid);
  for (const auto& worker : p.workers()) clean += worker->exitcode() == 0;
  bool right = results == "[1, 4, 9, 16, 25]" && output == "[0, 2, 4, 6, 8]" && p_outputs == "[0, 1, 4, 9, 16]";
  return {right && reaped == 11 && clean == 4,
          fmt::format("map, apply_async and map gave the lecture's lists in input order; {}/11 worker processes "
                      "({}, ...) were reaped, the last pool's 4 after close() and join() ({} with exit code 0)",
                      reaped, first_worker, clean)};
}

}  // namespace

}  // namespace concur::demos
