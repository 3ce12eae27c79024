// multiprocessing.Pool: a fixed set of worker processes that call functions by name.
//
//   Pool pool(4);                                        // with Pool(processes=4) as pool:
//   List results = pool.map("pool.square", numbers);     //     results = pool.map(square, numbers)
//   AsyncResult r = pool.apply_async("f", {i});          //     r = pool.apply_async(f, args=(i,))
//   r.get();                                             //     r.get()
//
// The constructor forks `processes` workers at once, named `ForkPoolWorker-N` (they share
// Python's process counter with Process-N; Pool renames its ForkProcess-N so), daemonic as
// Python's are. Workers are always forked, whatever set_start_method chose: a spawned one
// could not share the task queue (see workers.h; Python would name it SpawnPoolWorker-N).
// Functions cross by name (register_function, workers.h); map() sends one task per item
// (Python's chunksize is 1 for the lecture's short lists too).
//
// A worker's uncaught error comes back as the same Python type with the worker's message,
// raised by get() / apply() / map(); the worker lives on. The parent's threads
// `_handle_tasks` and `_handle_results` (Thread-N, as in Python; Python also has a third,
// `_handle_workers`, which replaces dead workers: here a dead worker breaks the pool, see
// workers.h) move jobs and results.
//
// close() then join() lets queued jobs finish and reaps the workers; terminate() kills
// them at once (SIGTERM) and reaps them; the destructor is Python's `with` exit, i.e.
// terminate(). Waits are in lecture seconds and throw ThreadExit when the run stops.
#pragma once

#include <optional>
#include <string>

#include "core/process/workers.h"

namespace concur::process {

// What apply_async returns: a handle on one job's result.
class AsyncResult {
 public:
  explicit AsyncResult(Future<Value> future) : future_(std::move(future)) {}
  // The job's result, waiting for it; TimeoutError if `timeout` lecture seconds pass first;
  // the worker's error (same type and message) if the function raised.
  Value get(std::optional<double> timeout = std::nullopt) const;
  // Waits until the result is ready or `timeout` lecture seconds pass; never raises.
  void wait(std::optional<double> timeout = std::nullopt) const;
  // True once the result (or error) is back in the parent.
  bool ready() const { return future_.done(); }
  // Whether the job returned without an error; ValueError("... not ready") before ready().
  bool successful() const;

 private:
  Future<Value> future_;
};

class Pool {
 public:
  // `processes` defaults to os.cpu_count(); ValueError("Number of processes must be at
  // least 1") for fewer.
  explicit Pool(std::optional<int> processes = std::nullopt);
  ~Pool();  // terminate(), as leaving `with Pool() as p:`
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // fn(item) for every item, spread over the workers; the results in input order. Blocks;
  // raises the first failed item's error (in input order).
  List map(const std::string& fn, const List& items);
  // fn(*args) in one worker; blocks for its result.
  Value apply(const std::string& fn, List args = {});
  // fn(*args) in one worker; returns at once.
  AsyncResult apply_async(const std::string& fn, List args = {});
  // map, apply and apply_async raise ValueError("Pool not running") after close/terminate.

  // No more jobs; the workers end once the queued ones are done.
  void close();
  // Kills the workers now (SIGTERM) and reaps them; unfinished jobs never finish.
  void terminate();
  // Waits for the workers to end and reaps them; ValueError("Pool is still running")
  // unless close() or terminate() came first.
  void join();

  int processes() const { return static_cast<int>(workers_.processes().size()); }
  // The worker processes, in start order (names, pids, exit codes).
  const std::vector<std::unique_ptr<Process>>& workers() const { return workers_.processes(); }

 private:
  void check_running() const;
  detail::Workers workers_;
};

}  // namespace concur::process
