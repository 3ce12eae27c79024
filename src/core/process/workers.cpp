#include "core/process/workers.h"

#include <poll.h>
#include <unistd.h>

#include "core/runtime.h"
#include "core/errors.h"

namespace concur::process {

namespace {

struct FunctionTable {
  std::mutex mu;
  std::map<std::string, Function> functions;
};

FunctionTable& table() {
  static FunctionTable* t = new FunctionTable();  // never destroyed: workers may still look up
  return *t;
}

constexpr const char* kBrokenRunning =
    "A process in the process pool was terminated abruptly while the future was running or pending.";
constexpr const char* kBrokenPool = "A child process terminated abruptly, the process pool is not usable anymore";

}  // namespace

void register_function(const std::string& name, Function fn) {
  FunctionTable& t = table();
  std::lock_guard lk(t.mu);
  t.functions[name] = fn;
}

Function find_function(const std::string& name) {
  FunctionTable& t = table();
  std::lock_guard lk(t.mu);
  auto it = t.functions.find(name);
  if (it == t.functions.end()) throw ValueError("no pool function named '" + name + "'");
  return it->second;
}

std::exception_ptr remote_error(const std::string& type, const std::string& message) {
  if (type == "ValueError") return std::make_exception_ptr(ValueError(message));
  if (type == "RuntimeError") return std::make_exception_ptr(RuntimeError(message));
  if (type == "TimeoutError") return std::make_exception_ptr(TimeoutError(message));
  if (type == "EOFError") return std::make_exception_ptr(EOFError(message));
  if (type == "OSError") return std::make_exception_ptr(OSError(message));
  if (type == "AssertionError") return std::make_exception_ptr(AssertionError(message));
  return std::make_exception_ptr(PyError(type, message));
}

namespace detail {

Workers::Workers(std::string class_name, std::string label, int cap, bool daemon)
    : class_name_(std::move(class_name)),
      label_(std::move(label)),
      cap_(cap),
      daemon_(daemon),
      pending_(0, label_ + " pending jobs"),
      slots_site_(SiteKind::kSemaphore, label_ + " call queue places"),
      free_slots_(cap) {}

Workers::~Workers() {
  if (started_ && !joined_) {
    try {
      terminate();
    } catch (...) {
      // A stopped run (ThreadExit): the Process and Thread destructors finish the job.
    }
  }
  // The handler threads end (their waits throw once the run or they are stopped) before the
  // descriptors they poll are closed.
  result_handler_.reset();
  task_handler_.reset();
  close_sentinels();
}

void Workers::close_sentinels() {
  for (Fd& fd : sentinels_) fd.reset();
}

bool Workers::enter(Handler& h) {
  std::lock_guard lk(mu_);
  if (h.stop) return false;
  h.state = &current_thread_state();
  return true;
}

void Workers::stop_handler(Handler& h) {
  std::lock_guard lk(mu_);
  h.stop = true;
  if (h.state) stop_thread(*h.state, 2);  // its current or next wait throws ThreadExit
}

void Workers::start(int processes) {
  // The workers first, then the threads: no handler thread exists while we fork.
  started_ = true;
  bool task_handler_running = false;
  try {
    for (int i = 0; i < processes; ++i) {
      workers_.push_back(std::make_unique<Process>(ProcessArgs{.target = [this] { worker_loop(); },
                                                               .class_name = class_name_,
                                                               .daemon = daemon_,
                                                               .start_method = "fork"}));
      workers_.back()->start();
      // The result handler's own sentinel for it, opened before anything can reap it (only
      // this thread reaps, later): a pidfd of the worker, closed only after the handler ends.
      sentinels_.push_back(open_pidfd(*workers_.back()->pid()));
    }
    task_handler_ = std::make_unique<Thread>(
        ThreadArgs{.target = [this] { handle_tasks(); }, .target_name = "_handle_tasks", .daemon = false});
    result_handler_ = std::make_unique<Thread>(
        ThreadArgs{.target = [this] { handle_results(); }, .target_name = "_handle_results", .daemon = false});
    task_handler_->start();
    task_handler_running = true;
    result_handler_->start();
  } catch (...) {
    // A worker or handler that cannot start (fork or thread creation failed: EAGAIN under
    // a process limit) fails the pool at once: what did start is stopped and reaped,
    // nothing waits for it, and the caller gets the error.
    {
      std::lock_guard lk(mu_);
      broken_ = closed_ = terminating_ = true;
    }
    for (const auto& w : workers_) w->terminate();
    for (const auto& w : workers_) {
      try {
        if (w->pid()) w->join();  // the one that failed never started
      } catch (const ThreadExit&) {
        // the run stopped meanwhile: join reaped it
      }
    }
    if (task_handler_running) {
      pending_.put(nullptr);
      task_handler_->join();
    }
    close_sentinels();
    joined_ = true;
    throw;
  }
}

Future<Value> Workers::submit(const std::string& name, List args, const std::string& closed_message) {
  find_function(name);  // an unknown name fails here, as pickling would
  auto job = std::make_shared<Job>();
  {
    std::lock_guard lk(mu_);
    if (broken_) throw BrokenProcessPool(kBrokenPool);
    if (closed_) throw RuntimeError(closed_message);
    job->id = next_id_++;
    job->name = name;
    job->args = std::move(args);
    job->future = Future<Value>(std::make_shared<concur::detail::FutureState<Value>>(label_ + " job " + std::to_string(job->id)));
    unfinished_.emplace(job->id, job->future);
  }
  pending_.put(job);
  return job->future;
}

void Workers::close(bool cancel_pending) {
  std::vector<Future<Value>> unfinished;
  {
    std::lock_guard lk(mu_);
    if (closed_) return;
    closed_ = true;
    if (cancel_pending && cap_ > 0) {
      // `_handle_tasks` cancels, as Python's manager thread does: it first fills the call
      // queue, so the jobs that found a place run, and only the rest are cancelled.
      cancel_pending_ = true;
      scheduler().notify(slots_site_, -1);
    } else if (cancel_pending) {
      for (const auto& [id, f] : unfinished_) unfinished.push_back(f);
    }
  }
  // Without a cap every job goes on the task queue as soon as it can: only those the
  // handler has not reached are still pending.
  for (const Future<Value>& f : unfinished) f.cancel();  // only pending ones give way
  pending_.put(nullptr);
}

void Workers::release_slot() {
  std::lock_guard lk(mu_);
  ++free_slots_;
  scheduler().notify(slots_site_, 1);
}

void Workers::join() {
  if (!started_ || joined_) return;
  for (const auto& w : workers_) w->join();
  stop_threads();
  joined_ = true;
}

void Workers::terminate() {
  if (!started_ || joined_) return;
  {
    std::lock_guard lk(mu_);
    terminating_ = closed_ = true;
  }
  for (const auto& w : workers_) w->terminate();
  bool stopped = false;
  for (const auto& w : workers_) {
    try {
      w->join();
    } catch (const ThreadExit&) {
      stopped = true;  // the run stopped: join killed and reaped it; reap the others too
    }
  }
  if (stopped) throw ThreadExit{ExitReason::kCancelled};  // the handler threads unwind by themselves
  stop_threads();
  joined_ = true;
}

void Workers::stop_threads() {
  if (terminating_ || broken_) {
    // No live worker reads the task queue or writes results any more: a handler blocked on
    // either pipe (a task larger than the pipe, gh-94777; a result cut short by a kill) would
    // wait for ever. Both leave at once; what they would still move no longer matters.
    stop_handler(tasks_handler_);
    stop_handler(results_handler_);
    task_handler_->join();
    result_handler_->join();
  } else {
    pending_.put(nullptr);
    task_handler_->join();
    results_.put(None{});  // after every worker's last result
    result_handler_->join();
  }
  close_sentinels();
}

// _handle_tasks: jobs go on the task queue in submit order, each once a place is free. After
// close(cancel_pending) a job that finds no free place is cancelled, and so is every job
// after it (Python drains its work-id queue then): the jobs already on the call queue, up
// to the cap, still run.
void Workers::handle_tasks() {
  if (!enter(tasks_handler_)) return;
  bool cancelling = false;
  for (;;) {
    std::shared_ptr<Job> job = pending_.get();
    if (!job) break;
    bool placed = false;  // holds a place on the call queue
    if (cap_ > 0 && !cancelling) {
      std::unique_lock lk(mu_);
      scheduler().wait(lk, slots_site_, [&] { return free_slots_ > 0 || cancel_pending_; }, Deadline::never());
      if (free_slots_ > 0) {
        --free_slots_;
        placed = true;
      } else {
        cancelling = true;
      }
    }
    if (terminating_) return;
    bool run = false;
    if (cancelling) {
      job->future.cancel();  // false if the pool broke and failed it already
    } else {
      try {
        run = job->future.set_running_or_notify_cancel();
      } catch (const RuntimeError&) {
        // The pool broke meanwhile: the job has failed already.
      }
    }
    if (!run) {
      if (placed) release_slot();
      std::lock_guard lk(mu_);
      unfinished_.erase(job->id);
      continue;
    }
    tasks_.put(List{job->id, job->name, job->args});
  }
  // One None per worker, after the last job: each worker ends when it takes one.
  for (std::size_t i = 0; i < workers_.size(); ++i) tasks_.put(None{});
}

// _handle_results: finishes each job's Future as its result arrives; looks at the workers
// when one of them ends (its sentinel turns readable), not on a timer.
void Workers::handle_results() {
  if (!enter(results_handler_)) return;
  WaitSite site(SiteKind::kQueue, label_ + " results or a worker's end");
  for (;;) {
    std::vector<pollfd> fds{{results_.reader(), POLLIN, 0}};
    if (!broken_ && !terminating_) {
      bool one_ended = false;
      for (std::size_t i = 0; i < workers_.size(); ++i) {
        if (workers_[i]->exitcode()) {
          one_ended = true;
          continue;
        }
        int fd = sentinels_[i] ? sentinels_[i].get() : workers_[i]->sentinel();
        fds.push_back({fd, POLLIN, 0});
      }
      // One ended while this thread was not waiting (the owner's join() may have reaped it
      // first): look at it now, not never.
      if (one_ended) check_workers();
      // Broken or terminated: nothing more will come from the workers; wait for the stop.
      if (broken_ || terminating_) fds.resize(1);
    }
    if (scheduler().wait_fds(site, fds, Deadline::never()) != 0) {
      check_workers();
      continue;
    }
    Value message;
    try {
      message = results_.get(false);
    } catch (const Empty&) {
      continue;  // the reader lock was busy for a moment
    }
    if (message.is_none()) {
      // Every worker has ended and been reaped: one that crashed fails what is unfinished.
      check_workers();
      return;
    }
    const List& m = message.as_list();
    std::optional<Future<Value>> future;
    {
      std::lock_guard lk(mu_);
      auto it = unfinished_.find(m.at(0).as_int());
      if (it == unfinished_.end()) continue;  // failed already (broken pool)
      future = it->second;
      unfinished_.erase(it);
    }
    if (cap_ > 0) release_slot();
    if (m.at(1).as_int() == 1) future->set_result(m.at(2));
    else future->set_exception(remote_error(m.at(2).as_list().at(0).as_str(), m.at(2).as_list().at(1).as_str()));
  }
}

bool Workers::check_workers() {
  {
    std::lock_guard lk(mu_);
    if (terminating_ || broken_) return broken_;
  }
  bool died = false;
  for (const auto& w : workers_) {
    std::optional<int> code = w->exitcode();
    if (code && (*code != 0 || !closed_)) died = true;
  }
  if (!died) return false;
  // A worker died of a signal or a crash: every unfinished job fails, the rest stop.
  std::map<long long, Future<Value>> unfinished;
  {
    std::lock_guard lk(mu_);
    broken_ = closed_ = true;
    unfinished.swap(unfinished_);
  }
  for (auto& [id, f] : unfinished) {
    try {
      f.set_exception(std::make_exception_ptr(BrokenProcessPool(kBrokenRunning)));
    } catch (const InvalidStateError&) {
      // cancelled meanwhile
    }
  }
  for (const auto& w : workers_) w->terminate();
  // `_handle_tasks` may be writing a task no live worker will read (gh-94777): it leaves now.
  stop_handler(tasks_handler_);
  return true;
}

// A worker process: take a task, call the function, send the result or the error back.
// It dies with its parent (process.h), so it never waits for a task that cannot come.
void Workers::worker_loop() {
  for (;;) {
    Value task = tasks_.get();
    if (task.is_none()) return;
    const List& t = task.as_list();
    Value id = t.at(0);
    try {
      Value result = find_function(t.at(1).as_str())(t.at(2).as_list());
      results_.put(List{id, 1, result});
    } catch (const PyError& e) {
      results_.put(List{id, 0, List{e.type(), e.what()}});
    } catch (const std::exception& e) {
      results_.put(List{id, 0, List{"Exception", e.what()}});
    }
  }
}

}  // namespace detail
}  // namespace concur::process
