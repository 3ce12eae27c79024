// concurrent.futures.ProcessPoolExecutor: calls run in worker processes, behind the same
// Future, as_completed and MapResults as the thread pool (futures.h).
//
//   ProcessPoolExecutor executor(5);                               // executor = ProcessPoolExecutor(5)
//   Future<Value> f = executor.submit("pool.task", {"Completed"});  // f = executor.submit(task, "Completed")
//   for (Value r : executor.map("pool.square", values)) ...        // for r in executor.map(square, values):
//
// Why it does not derive from Executor: Executor::submit takes a closure and runs it in
// this process; a process pool can only send a function's NAME and codec.h Values (as
// Python pickles them). Deriving would leave that closure submit callable on a process
// pool (hidden, not removed: an Executor& would still reach it and fail at run time).
// Standing alone, the class offers only what works, and returns the same Future<Value>,
// MapResults<Value> and as_completed() as ThreadPoolExecutor, so demo code reads the same.
//
// Workers: max_workers processes named `ForkProcess-N` (Python 3.12's name under the fork
// start method; they share the process counter), all forked at the first submit, as
// Python does under fork (it spawns lazily only under spawn/forkserver), not daemonic.
// Futures follow Python: pending when submitted; running once the job enters the call
// queue, which holds at most max_workers + 1 jobs (Python's EXTRA_QUEUED_CALLS), so one
// future may say running while it still waits for a free worker; finished only when the
// result is back in the parent: done() is false until then. cancel() works while pending.
// A worker's error is re-raised by result() with its Python type and message; a worker
// that dies breaks the pool (BrokenProcessPool for every unfinished future and for later
// submits). See workers.h for the machinery and the hygiene: every worker is reaped on
// shutdown, on an error, on destruction and when the run stops.
#pragma once

#include <optional>
#include <string>

#include "core/process/workers.h"

namespace concur::process {

class ProcessPoolExecutor {
 public:
  // max_workers defaults to the CPUs this process may use; ValueError("max_workers must
  // be greater than 0") for fewer than 1.
  explicit ProcessPoolExecutor(std::optional<int> max_workers = std::nullopt);
  // shutdown(wait=True), as leaving `with ProcessPoolExecutor() as executor:`.
  ~ProcessPoolExecutor();
  ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
  ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

  // Schedules fn(*args) in a worker and returns its Future at once. RuntimeError("cannot
  // schedule new futures after shutdown") after shutdown(); ValueError for a name that is
  // not registered.
  Future<Value> submit(const std::string& fn, List args = {});

  // Submits fn(item) for every item at once; the results in input order (MapResults:
  // iterating waits for each, rethrows its error; TimeoutError once `timeout` lecture
  // seconds from this call pass).
  MapResults<Value> map(const std::string& fn, const List& items, std::optional<double> timeout = std::nullopt);

  // Stops accepting calls; with wait, blocks until every started call is done and every
  // worker is reaped. Safe to repeat. cancel_futures cancels the calls still pending, as
  // Python's executor manager thread does: the up to max_workers + 1 calls already moved to
  // the call queue (running) keep running, and the handler moves calls to it while it has
  // room before it cancels the rest, so at least those first calls run even when shutdown
  // follows the submits at once. The cancelling is the handler thread's: with wait=false
  // a call may still be pending for a moment after shutdown() returns.
  void shutdown(bool wait = true, bool cancel_futures = false);

  int max_workers() const { return max_workers_; }
  // The worker processes (none before the first submit), in start order.
  const std::vector<std::unique_ptr<Process>>& processes() const { return workers_.processes(); }

 private:
  int max_workers_;
  bool shutdown_ = false;
  detail::Workers workers_;
};

}  // namespace concur::process
