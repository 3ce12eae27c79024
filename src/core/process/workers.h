// What multiprocessing.Pool (pool.h) and ProcessPoolExecutor (executor.h) share: the table
// of functions a worker process can call by name, and the machinery of a pool of forked
// worker processes.
//
// Functions cross BY NAME, as Python pickles a function by its qualified name: the parent
// sends ("square", [3]) and the worker looks "square" up in its own copy of the table,
// filled explicitly by demos/process_targets.cpp (register_function). Arguments and
// results are codec.h Values. An unknown name fails in the parent, at submit, as pickling
// a function the child cannot import would.
//
// Workers (the engine): N worker processes forked together (Process with `class_name`, so
// they share Python's process counter: ForkPoolWorker-N, ForkProcess-N), a task queue and a
// result queue (process::Queue), and two threads in the parent, as Python's Pool has:
//   - `_handle_tasks` takes submitted jobs in order and puts (id, name, args) on the task
//     queue. With a cap (ProcessPoolExecutor's call queue: max_workers + 1) it waits for a
//     free place first. A job's Future turns running when it goes on the task queue (as
//     Python's executor marks it running when it enters the call queue), so the thread
//     that waits for it waits for `_handle_tasks`, never for itself (deadlock reports).
//   - `_handle_results` takes (id, ok, value or [type, message]) from the result queue and
//     finishes the job's Future: done() turns true only once the result is in the parent.
//     It waits for a result or a worker's end at once (the result pipe and the workers'
//     sentinels, Scheduler::wait_fds): a worker that died of a signal or a crash (not by
//     terminate()) breaks the pool, and every unfinished job fails with BrokenProcessPool,
//     as concurrent.futures does (Python's Pool would hang instead), shutdown included: a
//     worker that crashes while shutdown(wait=True) waits fails its job too. The sentinels
//     are pidfds of the handler's own, opened when each worker is forked, so a join() on
//     the owner's thread that reaps a worker (and closes the Process's pidfd) never leaves
//     the handler polling a closed or reused descriptor; and a worker found ended while the
//     handler was not waiting is looked at all the same, at the latest on the closing None.
// When the pool breaks or is terminated, both handlers are stopped (stop_thread: the current
// or next wait throws ThreadExit), then joined, rather than waiting for their closing None:
// `_handle_tasks` may be stuck writing a task larger than the pipe that no live worker will
// ever read (CPython gh-94777), `_handle_results` reading the rest of a result whose worker
// was killed mid-write; nothing either would still move matters once the workers are gone
// (a broken pool's unfinished jobs have failed, a terminated one's stay unfinished). What was
// half-written dies with the pool.
// A worker loops: take a task, call the function, put the result or the error's type and
// message back; an uncaught error does not end the worker. None on the task queue ends it;
// so does its parent's death (it dies with its parent, process.h), so no worker outlives us.
// A worker that cannot start (fork fails) fails start() at once: the others are reaped.
//
// Hygiene: every worker is reaped by close()+join(), by terminate() and by the destructor
// (which terminates). A stopped run (watchdog, Ctrl-C) makes every wait here throw
// ThreadExit at once (the seam) and the destructors then terminate and reap.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/futures.h"
#include "core/process/codec.h"
#include "core/process/process.h"
#include "core/process/queue.h"

namespace concur {

// concurrent.futures.process.BrokenProcessPool.
struct BrokenProcessPool : PyError {
  explicit BrokenProcessPool(const std::string& m) : PyError("BrokenProcessPool", m) {}
};

namespace process {

// A function a pool worker can call by name; it returns its result.
using Function = Value (*)(const List& args);
void register_function(const std::string& name, Function fn);
// The function registered as `name`; ValueError("no pool function named 'NAME'") if none.
Function find_function(const std::string& name);

// The error a worker raised, rebuilt in the parent with its Python type and message:
// ValueError, RuntimeError, TimeoutError, EOFError, OSError and AssertionError as those
// classes (catch (const ValueError&) works), any other type as a PyError of that name.
std::exception_ptr remote_error(const std::string& type, const std::string& message);

namespace detail {

class Workers {
 public:
  // `class_name` names the workers (ForkPoolWorker-N); `label` their threads' sites;
  // `cap` limits the jobs on the task queue at once (0: no limit); `daemon` as Python sets
  // it (Pool: True; ProcessPoolExecutor: False).
  Workers(std::string class_name, std::string label, int cap, bool daemon);
  ~Workers();  // terminate() unless joined
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Forks `processes` workers, then starts the two handler threads.
  void start(int processes);
  bool started() const { return started_; }
  // A pending Future for name(args). RuntimeError(`closed_message`) after close(),
  // BrokenProcessPool once a worker died; ValueError for an unregistered name.
  Future<Value> submit(const std::string& name, List args, const std::string& closed_message);
  // No more jobs; workers end once the queued ones are done. With cancel_pending, jobs not
  // yet on the task queue are cancelled: with a cap, by `_handle_tasks`, which first fills
  // the free places (those jobs run) and cancels the jobs after them, as Python's executor
  // manager thread does (so shortly after close() returns, not before); without a cap, by
  // close() itself.
  void close(bool cancel_pending = false);
  // Waits for the workers to end (after close()), reaps them, stops the threads.
  void join();
  // SIGTERM to every worker, reap them all, stop the threads. Unfinished jobs stay
  // unfinished (Python's Pool.terminate).
  void terminate();

  bool closed() const { return closed_; }
  const std::vector<std::unique_ptr<Process>>& processes() const { return workers_; }

 private:
  struct Job {
    long long id;
    std::string name;
    List args;
    Future<Value> future;
  };
  void worker_loop();
  void handle_tasks();
  void handle_results();
  bool check_workers();  // true if the pool broke
  void stop_threads();
  void close_sentinels();

  std::string class_name_;
  std::string label_;
  int cap_;
  bool daemon_;
  Queue tasks_;
  Queue results_;
  concur::Queue<std::shared_ptr<Job>> pending_;  // nullptr: the sentinel
  std::mutex mu_;
  // The free places on the task queue (cap_ - jobs on it); `_handle_tasks` waits here.
  WaitSite slots_site_;
  int free_slots_;             // mu_
  bool cancel_pending_ = false;  // mu_: close(cancel_pending) with a cap
  void release_slot();
  std::map<long long, Future<Value>> unfinished_;  // submitted, not yet finished
  long long next_id_ = 0;
  bool started_ = false, joined_ = false;  // the owner's thread only
  std::atomic<bool> closed_{false}, terminating_{false}, broken_{false};
  std::vector<std::unique_ptr<Process>> workers_;
  std::vector<Fd> sentinels_;  // a pidfd per worker (empty: none), the result handler's own
  // A handler thread's state once it runs, and whether it has been told to stop (mu_).
  struct Handler {
    ThreadState* state = nullptr;
    bool stop = false;
  };
  bool enter(Handler& h);  // the handler thread, first thing: false if told to stop already
  void stop_handler(Handler& h);
  Handler tasks_handler_, results_handler_;
  std::unique_ptr<Thread> task_handler_;
  std::unique_ptr<Thread> result_handler_;
};

}  // namespace detail
}  // namespace process
}  // namespace concur
