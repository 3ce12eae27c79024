// concurrent.futures.as_completed: futures in the order they finish.
//
// One difference a demo cannot see: Python's as_completed learns of a cancelled future
// only when a worker would have started it; here it learns at cancel().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/clock.h"
#include "core/future.h"
#include "core/queue.h"

namespace concur {

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

}  // namespace concur
