// concurrent.futures: Future, Executor, ThreadPoolExecutor, as_completed, map.
//
// A Future is a handle on the result of a call that runs elsewhere: copies share one state,
// as Python names share one object. It is pending, then running, then finished (with a
// value or an exception), or cancelled while still pending. result() and exception() wait
// for it; a timeout that passes throws TimeoutError, a cancelled future CancelledError,
// and result() rethrows the exception the call raised.
//
//   ThreadPoolExecutor executor(5);                          // with ThreadPoolExecutor(5) as executor:
//   Future<std::string> f = executor.submit(task, i);        //     f = executor.submit(task, i)
//   for (const auto& done : as_completed(futures)) ...       //     for f in as_completed(fs): ...
//   for (int r : executor.map(square, values)) ...           //     for r in executor.map(square, values): ...
//
// Python's futures hold any object; here Future<T> holds a T (Future<void> for a call that
// returns nothing). Every wait goes through the waiting seam (a future's own site, a core
// Queue, Semaphore, Lock and Thread.join), so the deadlock detector and any scheduler see
// it: a running future's site is held by the worker running it, so "main waits for the
// future, the worker waits for a lock main holds" is reported as a cycle.
//
// One difference a demo cannot see: Python's as_completed learns of a cancelled future
// only when a worker would have started it; here it learns at cancel().
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/errors.h"
#include "core/queue.h"
#include "core/seam.h"
#include "core/sync/lock.h"
#include "core/sync/semaphore.h"
#include "core/thread.h"

namespace concur {


template <typename T>
class Future;

namespace detail {

class FutureStateBase;

// Told once when a future it listens to is done (as_completed's waiter).
class CompletionListener {
 public:
  virtual ~CompletionListener() = default;
  // Called with the future's mutex held; must not wait.
  virtual void completed(const std::shared_ptr<FutureStateBase>& future) = 0;
};

// The state every Future<T> shares, whatever T is: status, exception, callbacks, waiters.
class FutureStateBase : public std::enable_shared_from_this<FutureStateBase> {
 public:
  enum class Status { kPending, kRunning, kCancelled, kFinished };
  using Callback = std::function<void(const std::shared_ptr<FutureStateBase>&)>;

  explicit FutureStateBase(std::string label);
  virtual ~FutureStateBase() = default;
  FutureStateBase(const FutureStateBase&) = delete;
  FutureStateBase& operator=(const FutureStateBase&) = delete;

  const std::string& label() const { return site_.label(); }
  bool cancel();
  bool cancelled();
  bool running();
  bool done();
  bool set_running_or_notify_cancel();
  void set_exception(std::exception_ptr e);
  // Waits until done or `timeout` lecture seconds pass; throws CancelledError or
  // TimeoutError. Returns the call's exception (nullptr if it returned).
  std::exception_ptr wait_done(std::optional<double> timeout);
  void add_done_callback(Callback callback);
  // Registers `listener` unless the future is done already; returns whether it was done.
  bool add_listener(const std::shared_ptr<CompletionListener>& listener);
  void remove_listener(const CompletionListener* listener);

 protected:
  // Runs `store` (which saves the value) and marks the future finished, under the mutex;
  // then wakes waiters and runs the callbacks. Throws InvalidStateError if already done.
  void finish(const std::function<void()>& store);

 private:
  bool is_done() const { return status_ == Status::kCancelled || status_ == Status::kFinished; }
  // Wakes waiters and tells listeners; with the mutex held.
  void notify_done();
  void invoke_callbacks();
  std::string state_name() const;

  std::mutex mutex_;
  WaitSite site_;
  Status status_ = Status::kPending;
  std::exception_ptr exception_;
  std::vector<Callback> callbacks_;
  std::vector<std::shared_ptr<CompletionListener>> listeners_;
};

template <typename T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
class FutureState : public FutureStateBase {
 public:
  using FutureStateBase::FutureStateBase;
  void set_value(Stored<T> value) {
    finish([&] { value_.emplace(std::move(value)); });
  }
  // Only once done without an exception (the value never changes after that).
  const Stored<T>& value() const { return *value_; }

 private:
  std::optional<Stored<T>> value_;
};

}  // namespace detail

template <typename T>
class Future {
 public:
  // A pending future of its own (Python's Future(): for executors and tests).
  Future() : state_(std::make_shared<detail::FutureState<T>>("future")) {}
  explicit Future(std::shared_ptr<detail::FutureState<T>> state) : state_(std::move(state)) {}

  // Cancels the call if it has not started: true then (and for a cancelled future);
  // false once it runs or is finished.
  bool cancel() const { return state_->cancel(); }
  bool cancelled() const { return state_->cancelled(); }
  // True while the call runs.
  bool running() const { return state_->running(); }
  // True once finished or cancelled.
  bool done() const { return state_->done(); }

  // Blocks until the call finishes and returns its value (a copy), or rethrows its
  // exception. Throws TimeoutError if `timeout` lecture seconds pass first, CancelledError
  // if the future is cancelled.
  T result(std::optional<double> timeout = std::nullopt) const {
    if (std::exception_ptr e = state_->wait_done(timeout)) std::rethrow_exception(e);
    if constexpr (!std::is_void_v<T>) return state_->value();
  }

  // As result(), but returns the call's exception (nullptr if it returned) instead of
  // rethrowing it.
  std::exception_ptr exception(std::optional<double> timeout = std::nullopt) const {
    return state_->wait_done(timeout);
  }

  // Calls fn(future) once the future is done, in the thread that finishes or cancels it;
  // at once, in the calling thread, if it is done already. An exception from fn is
  // printed on stderr and ignored.
  void add_done_callback(std::function<void(const Future<T>&)> fn) const {
    state_->add_done_callback([fn = std::move(fn)](const std::shared_ptr<detail::FutureStateBase>& s) {
      fn(Future<T>(std::static_pointer_cast<detail::FutureState<T>>(s)));
    });
  }

  // For executors and tests. Marks the future running (true), or returns false if it was
  // cancelled. Then exactly one of set_result / set_exception.
  bool set_running_or_notify_cancel() const { return state_->set_running_or_notify_cancel(); }
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void set_result(std::type_identity_t<U> value) const {
    state_->set_value(std::move(value));
  }
  void set_result() const
    requires std::is_void_v<T>
  {
    state_->set_value({});
  }
  void set_exception(std::exception_ptr e) const { state_->set_exception(std::move(e)); }

  // A future is its state: copies compare equal; usable as a std::map key (future_to_task).
  friend bool operator==(const Future& a, const Future& b) { return a.state_ == b.state_; }
  friend std::strong_ordering operator<=>(const Future& a, const Future& b) {
    return std::compare_three_way{}(a.state_.get(), b.state_.get());
  }
  const std::shared_ptr<detail::FutureState<T>>& state() const { return state_; }

 private:
  std::shared_ptr<detail::FutureState<T>> state_;
};

// as_completed(fs, timeout): the futures of `fs` (each once), those already done first,
// then each as it finishes. Iterating blocks for the next one; TimeoutError("N (of M)
// futures unfinished") when `timeout` lecture seconds from the call pass first.
template <typename T>
class AsCompleted {
 public:
  AsCompleted(const std::vector<Future<T>>& fs, std::optional<double> timeout)
      : listener_(std::make_shared<Listener>()) {
    if (timeout) end_time_ = time::perf_counter() + *timeout;
    std::set<const void*> seen;
    for (const Future<T>& f : fs) {
      if (!seen.insert(f.state().get()).second) continue;
      fs_.push_back(f);
      if (f.state()->add_listener(listener_))
        done_first_.push_back(f);
      else
        ++pending_;
    }
  }
  ~AsCompleted() {
    for (const Future<T>& f : fs_) f.state()->remove_listener(listener_.get());
  }
  AsCompleted(const AsCompleted&) = delete;
  AsCompleted& operator=(const AsCompleted&) = delete;

  class iterator {
   public:
    using value_type = Future<T>;
    using difference_type = std::ptrdiff_t;
    explicit iterator(AsCompleted* owner) : owner_(owner) {}
    const Future<T>& operator*() const { return *owner_->current_; }
    iterator& operator++() {
      owner_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return !owner_->current_; }

   private:
    AsCompleted* owner_;
  };
  // Blocks for the first future.
  iterator begin() {
    advance();
    return iterator(this);
  }
  std::default_sentinel_t end() { return {}; }

 private:
  struct Listener : detail::CompletionListener {
    Queue<std::shared_ptr<detail::FutureStateBase>> finished{0, "as_completed"};
    void completed(const std::shared_ptr<detail::FutureStateBase>& f) override { finished.put(f); }
  };

  void advance() {
    current_.reset();
    if (!done_first_.empty()) {
      current_ = done_first_.front();
      done_first_.erase(done_first_.begin());
      return;
    }
    if (pending_ == 0) return;
    std::optional<double> wait;
    if (end_time_) wait = std::max(0.0, *end_time_ - time::perf_counter());
    try {
      auto s = listener_->finished.get(true, wait);
      current_ = Future<T>(std::static_pointer_cast<detail::FutureState<T>>(s));
      --pending_;
    } catch (const Empty&) {
      throw TimeoutError(std::to_string(pending_) + " (of " + std::to_string(fs_.size()) + ") futures unfinished");
    }
  }

  std::vector<Future<T>> fs_;
  std::vector<Future<T>> done_first_;
  std::size_t pending_ = 0;
  std::shared_ptr<Listener> listener_;
  std::optional<double> end_time_;
  std::optional<Future<T>> current_;
};

template <typename T>
AsCompleted<T> as_completed(const std::vector<Future<T>>& fs, std::optional<double> timeout = std::nullopt) {
  return AsCompleted<T>(fs, timeout);
}

// as_completed over a dict's keys: `for future in as_completed(future_to_task)`.
template <typename T, typename V>
AsCompleted<T> as_completed(const std::map<Future<T>, V>& fs, std::optional<double> timeout = std::nullopt) {
  std::vector<Future<T>> keys;
  for (const auto& [f, v] : fs) keys.push_back(f);
  return AsCompleted<T>(keys, timeout);
}

// What Executor.map returns: the calls' results in input order. Iterating waits for each
// in turn and rethrows a call's exception when its item is reached; TimeoutError when the
// map's timeout passes first. Futures not reached when this is destroyed are cancelled.
template <typename R>
class MapResults {
 public:
  MapResults(std::vector<Future<R>> fs, std::optional<double> end_time) : fs_(std::move(fs)), end_time_(end_time) {}
  ~MapResults() {
    for (std::size_t i = next_; i < fs_.size(); ++i) fs_[i].cancel();
  }
  MapResults(const MapResults&) = delete;
  MapResults& operator=(const MapResults&) = delete;

  class iterator {
   public:
    using value_type = R;
    using difference_type = std::ptrdiff_t;
    explicit iterator(MapResults* owner) : owner_(owner) {}
    R operator*() const { return owner_->current(); }
    iterator& operator++() {
      ++owner_->next_;
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return owner_->next_ >= owner_->fs_.size(); }

   private:
    MapResults* owner_;
  };
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }
  std::size_t size() const { return fs_.size(); }

 private:
  R current() {
    const Future<R>& f = fs_[next_];
    std::optional<double> wait;
    if (end_time_) wait = std::max(0.0, *end_time_ - time::perf_counter());
    try {
      return f.result(wait);
    } catch (...) {
      f.cancel();  // Python's _result_or_cancel
      throw;
    }
  }
  std::vector<Future<R>> fs_;
  std::size_t next_ = 0;
  std::optional<double> end_time_;
};

// One submitted call, as an executor queues it.
class WorkItem {
 public:
  virtual ~WorkItem() = default;
  // Runs the call in the calling thread and resolves its future (unless it was cancelled).
  virtual void run() = 0;
  // Cancels its future if it has not started.
  virtual void cancel() = 0;
};

namespace detail {

template <typename R, typename F, typename... Args>
class CallItem : public WorkItem {
 public:
  CallItem(Future<R> future, F fn, std::tuple<Args...> args)
      : future_(std::move(future)), fn_(std::move(fn)), args_(std::move(args)) {}
  void run() override {
    if (!future_.set_running_or_notify_cancel()) return;
    try {
      if constexpr (std::is_void_v<R>) {
        std::apply(fn_, args_);
        future_.set_result();
      } else {
        future_.set_result(std::apply(fn_, args_));
      }
    } catch (const ThreadExit&) {
      // The run stopped this worker: the future must not stay running for ever.
      future_.set_exception(std::current_exception());
      throw;
    } catch (...) {
      future_.set_exception(std::current_exception());
    }
  }
  void cancel() override { future_.cancel(); }

 private:
  Future<R> future_;
  F fn_;
  std::tuple<Args...> args_;
};

}  // namespace detail

// concurrent.futures.Executor: where submitted calls run. ThreadPoolExecutor runs them on
// a pool of threads; a process executor would implement schedule() with processes.
class Executor {
 public:
  virtual ~Executor() = default;
  Executor() = default;
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Schedules fn(args...) and returns its Future at once. Throws RuntimeError("cannot
  // schedule new futures after shutdown") after shutdown().
  template <typename F, typename... Args>
  auto submit(F fn, Args... args) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, Args&...>>;
    Future<R> future(std::make_shared<detail::FutureState<R>>(next_future_label()));
    schedule(std::make_shared<detail::CallItem<R, F, Args...>>(future, std::move(fn),
                                                               std::tuple<Args...>(std::move(args)...)));
    return future;
  }

  // Submits fn(item) for every item at once and returns the results in input order (see
  // MapResults). `timeout` lecture seconds count from this call.
  template <typename F, typename Items>
  auto map(F fn, const Items& items, std::optional<double> timeout = std::nullopt) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, const typename Items::value_type&>>;
    static_assert(!std::is_void_v<R>, "map needs a function that returns a value");
    std::optional<double> end_time;
    if (timeout) end_time = time::perf_counter() + *timeout;
    std::vector<Future<R>> fs;
    for (const auto& item : items) fs.push_back(submit(fn, item));
    return MapResults<R>(std::move(fs), end_time);
  }

  // Stops accepting calls; with wait, blocks until every queued call has run and the
  // workers have ended. cancel_futures cancels the calls not yet started. Safe to repeat.
  virtual void shutdown(bool wait = true, bool cancel_futures = false) = 0;

 protected:
  // Queues one call. Throws RuntimeError after shutdown.
  virtual void schedule(std::shared_ptr<WorkItem> item) = 0;
  // A name for the next future's wait site (deadlock reports).
  virtual std::string next_future_label() = 0;
};

// concurrent.futures.ThreadPoolExecutor: calls run on up to max_workers threads named
// `ThreadPoolExecutor-P_W` (P counts pools from 0 per run, W workers from 0). Workers start
// lazily, one per submit while none is idle, and idle ones are reused. Destroying the
// executor shuts it down and waits (Python's `with` block).
class ThreadPoolExecutor : public Executor {
 public:
  // max_workers defaults to min(32, cpus + 4). Throws ValueError("max_workers must be
  // greater than 0") for max_workers <= 0.
  explicit ThreadPoolExecutor(std::optional<int> max_workers = std::nullopt, std::string thread_name_prefix = "");
  ~ThreadPoolExecutor() override;

  void shutdown(bool wait = true, bool cancel_futures = false) override;

  int max_workers() const { return max_workers_; }
  const std::string& thread_name_prefix() const { return prefix_; }
  // Worker threads started so far.
  int worker_count();

  // min(32, cpus this process may use + 4), as Python 3.13.
  static int default_max_workers();

 protected:
  void schedule(std::shared_ptr<WorkItem> item) override;
  std::string next_future_label() override;

 private:
  void adjust_thread_count();
  void worker();

  int max_workers_;
  std::string prefix_;
  Queue<std::shared_ptr<WorkItem>> work_queue_;  // nullptr: the shutdown sentinel
  Semaphore idle_semaphore_;
  Lock shutdown_lock_;
  std::atomic<bool> shutdown_{false};
  std::atomic<int> submitted_{0};
  std::list<Thread> threads_;  // last: destroyed (joined) first
};

}  // namespace concur

template <typename T>
struct std::hash<concur::Future<T>> {
  std::size_t operator()(const concur::Future<T>& f) const noexcept {
    return std::hash<const void*>{}(f.state().get());
  }
};
