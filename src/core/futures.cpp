#include "core/futures.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/runtime.h"

namespace concur {

namespace detail {

FutureStateBase::FutureStateBase(std::string label) : site_(SiteKind::kFuture, std::move(label)) {}

bool FutureStateBase::cancel() {
  {
    std::lock_guard lk(mutex_);
    if (status_ == Status::kRunning || status_ == Status::kFinished) return false;
    if (status_ == Status::kCancelled) return true;
    status_ = Status::kCancelled;
    notify_done();
  }
  invoke_callbacks();
  return true;
}

bool FutureStateBase::cancelled() {
  std::lock_guard lk(mutex_);
  return status_ == Status::kCancelled;
}

bool FutureStateBase::running() {
  std::lock_guard lk(mutex_);
  return status_ == Status::kRunning;
}

bool FutureStateBase::done() {
  std::lock_guard lk(mutex_);
  return is_done();
}

bool FutureStateBase::set_running_or_notify_cancel() {
  std::lock_guard lk(mutex_);
  if (status_ == Status::kCancelled) return false;
  if (status_ != Status::kPending) throw RuntimeError("Future in unexpected state");
  status_ = Status::kRunning;
  // The running call "holds" its future: whoever waits for it waits for this thread.
  site_.owner.store(&current_thread_state());
  return true;
}

void FutureStateBase::set_exception(std::exception_ptr e) {
  finish([&] { exception_ = std::move(e); });
}

void FutureStateBase::finish(const std::function<void()>& store) {
  {
    std::lock_guard lk(mutex_);
    if (is_done()) throw InvalidStateError(state_name() + ": " + label());
    store();
    status_ = Status::kFinished;
    notify_done();
  }
  invoke_callbacks();
}

void FutureStateBase::notify_done() {
  site_.owner.store(nullptr);
  auto self = shared_from_this();
  for (const auto& listener : listeners_) listener->completed(self);
  scheduler().notify(site_, -1);
}

void FutureStateBase::invoke_callbacks() {
  // Done now, so no callback can be added meanwhile: the list is read without the mutex.
  auto self = shared_from_this();
  for (const auto& callback : callbacks_) {
    try {
      callback(self);
    } catch (const std::exception& e) {
      Runtime& rt = runtime();
      std::lock_guard lk(rt.out_mutex());
      const auto* py = dynamic_cast<const PyError*>(&e);
      rt.err() << "exception calling callback for " << label() << "\n"
               << (py ? py->type() + (e.what()[0] ? ": " : "") : "") << e.what() << "\n";
    }
  }
}

std::exception_ptr FutureStateBase::wait_done(std::optional<double> timeout) {
  std::unique_lock lk(mutex_);
  if (!is_done()) {
    auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
    scheduler().wait(lk, site_, [&] { return is_done(); }, deadline);
  }
  if (status_ == Status::kCancelled) throw CancelledError();
  if (status_ != Status::kFinished) throw TimeoutError();
  return exception_;
}

void FutureStateBase::add_done_callback(Callback callback) {
  {
    std::lock_guard lk(mutex_);
    if (!is_done()) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback(shared_from_this());
}

bool FutureStateBase::add_listener(const std::shared_ptr<CompletionListener>& listener) {
  std::lock_guard lk(mutex_);
  if (is_done()) return true;
  listeners_.push_back(listener);
  return false;
}

void FutureStateBase::remove_listener(const CompletionListener* listener) {
  std::lock_guard lk(mutex_);
  std::erase_if(listeners_, [&](const auto& l) { return l.get() == listener; });
}

std::string FutureStateBase::state_name() const {
  switch (status_) {
    case Status::kPending: return "PENDING";
    case Status::kRunning: return "RUNNING";
    case Status::kCancelled: return "CANCELLED";
    case Status::kFinished: return "FINISHED";
  }
  return "?";
}

}  // namespace detail

namespace {

std::string pool_prefix(std::string given) {
  if (!given.empty()) return given;
  return "ThreadPoolExecutor-" + std::to_string(runtime().next_pool_number());
}

int checked_max_workers(std::optional<int> max_workers) {
  int n = max_workers.value_or(ThreadPoolExecutor::default_max_workers());
  if (n <= 0) throw ValueError("max_workers must be greater than 0");
  return n;
}

}  // namespace

int ThreadPoolExecutor::default_max_workers() {
  int cpus = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
  return std::min(32, std::max(cpus, 1) + 4);
}

ThreadPoolExecutor::ThreadPoolExecutor(std::optional<int> max_workers, std::string thread_name_prefix)
    : max_workers_(checked_max_workers(max_workers)),
      prefix_(pool_prefix(std::move(thread_name_prefix))),
      work_queue_(0, prefix_ + " work queue"),
      idle_semaphore_(0, prefix_ + " idle workers"),
      shutdown_lock_(prefix_ + " shutdown lock") {}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  try {
    shutdown(true);
  } catch (...) {
    // The run stopped this thread while it waited (ThreadExit). Make sure the workers end
    // after the queued calls; the Thread destructors then wait for them.
    shutdown_ = true;
    work_queue_.put(nullptr);
  }
}

void ThreadPoolExecutor::schedule(std::shared_ptr<WorkItem> item) {
  std::lock_guard lk(shutdown_lock_);
  if (shutdown_) throw RuntimeError("cannot schedule new futures after shutdown");
  work_queue_.put(std::move(item));
  adjust_thread_count();
}

std::string ThreadPoolExecutor::next_future_label() {
  return prefix_ + " future " + std::to_string(submitted_++);
}

// With shutdown_lock_ held: reuse an idle worker if there is one, else start one more.
void ThreadPoolExecutor::adjust_thread_count() {
  if (idle_semaphore_.acquire(true, 0)) return;
  int n = static_cast<int>(threads_.size());
  if (n >= max_workers_) return;
  Thread& t = threads_.emplace_back(
      ThreadArgs{.target = [this] { worker(); }, .target_name = {}, .name = prefix_ + "_" + std::to_string(n), .daemon = false});
  t.start();
}

// A worker: run queued calls; when the queue is empty, count itself idle and wait. The
// sentinel (nullptr) after shutdown ends it, passed on so that every worker sees it.
void ThreadPoolExecutor::worker() {
  for (;;) {
    std::shared_ptr<WorkItem> item;
    try {
      item = work_queue_.get_nowait();
    } catch (const Empty&) {
      idle_semaphore_.release();
      item = work_queue_.get();
    }
    if (item) {
      item->run();
      continue;
    }
    if (shutdown_) {
      work_queue_.put(nullptr);
      return;
    }
  }
}

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) {
  {
    std::lock_guard lk(shutdown_lock_);
    shutdown_ = true;
    if (cancel_futures) {
      for (;;) {
        std::shared_ptr<WorkItem> item;
        try {
          item = work_queue_.get_nowait();
        } catch (const Empty&) {
          break;
        }
        if (item) item->cancel();
      }
    }
    work_queue_.put(nullptr);
  }
  if (wait)
    for (Thread& t : threads_) t.join();
}

int ThreadPoolExecutor::worker_count() {
  std::lock_guard lk(shutdown_lock_);
  return static_cast<int>(threads_.size());
}

}  // namespace concur
