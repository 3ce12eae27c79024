// concurrent.futures.Executor: where submitted calls run, and what submit() and map()
// return. ThreadPoolExecutor (thread_pool.h) runs the calls on threads; ProcessPoolExecutor
// (process/executor.h) in worker processes.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/future.h"

namespace concur {

// What Executor.map returns: the calls' results in input order, as Python's generator.
// Iterating waits for each in turn and rethrows a call's exception when its item is
// reached (cancelling that call if it has not finished: TimeoutError when the map's
// timeout passes first). Every call was submitted by map() itself, so a MapResults dropped
// without iterating cancels nothing and every call runs (`with ThreadPoolExecutor() as ex:
// ex.map(work, items)`). Once iteration has begun (begin(): the generator's first next()),
// destroying it cancels the calls not reached, as closing Python's generator runs its
// `finally`; those already running finish anyway.
template <typename R>
class MapResults {
 public:
  MapResults(std::vector<Future<R>> fs, std::optional<double> end_time) : fs_(std::move(fs)), end_time_(end_time) {}
  ~MapResults() {
    if (!started_) return;
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
  iterator begin() {
    started_ = true;
    return iterator(this);
  }
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
  bool started_ = false;  // begin() was called: destruction cancels what is not reached
  std::optional<double> end_time_;
};

// One submitted call, as an executor queues it.
class WorkItem {
 public:
  virtual ~WorkItem() = default;
  // Runs the call in the calling thread and resolves its future (unless it was cancelled).
  // `finishing` is called once the call has returned or raised, just before the future is
  // resolved (so before any waiter wakes): the thread pool marks its worker idle there.
  virtual void run(const std::function<void()>& finishing) = 0;
  // Cancels its future if it has not started.
  virtual void cancel() = 0;
};

namespace detail {

template <typename R, typename F, typename... Args>
class CallItem : public WorkItem {
 public:
  CallItem(Future<R> future, F fn, std::tuple<Args...> args)
      : future_(std::move(future)), fn_(std::move(fn)), args_(std::move(args)) {}
  void run(const std::function<void()>& finishing) override {
    if (!future_.set_running_or_notify_cancel()) return;
    std::optional<Stored<R>> value;
    std::exception_ptr error;
    try {
      if constexpr (std::is_void_v<R>) {
        std::apply(fn_, args_);
        value.emplace();
      } else {
        value.emplace(std::apply(fn_, args_));
      }
    } catch (const ThreadExit&) {
      // The run stopped this worker: the future must not stay running for ever.
      future_.set_exception(std::current_exception());
      throw;
    } catch (...) {
      error = std::current_exception();
    }
    finishing();
    if (error) {
      future_.set_exception(error);
    } else if constexpr (std::is_void_v<R>) {
      future_.set_result();
    } else {
      future_.set_result(std::move(*value));
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

}  // namespace concur
