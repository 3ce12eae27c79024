// queue.Queue, queue.LifoQueue, queue.PriorityQueue: thread-safe queues.
//
// FIFO, LIFO and lowest-first orders (putting 111, 333, 222 gets 111,333,222 /
// 222,333,111 / 111,222,333). maxsize <= 0 is unbounded. put() blocks while full, get()
// while empty; non-blocking or timed calls throw Full / Empty instead. task_done() and
// join() count unfinished items. All waiting goes through the seam.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/item_text.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"

namespace concur {

template <typename T>
class Queue {
 public:
  explicit Queue(int maxsize = 0, std::string label = "")
      : maxsize_(maxsize),
        not_empty_(SiteKind::kQueue, (label.empty() ? default_label() : label) + " (not empty)"),
        not_full_(SiteKind::kQueue, not_empty_label_base() + " (not full)"),
        all_done_(SiteKind::kQueue, not_empty_label_base() + " (all tasks done)") {}
  virtual ~Queue() = default;
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  // Puts `item`, waiting for a free slot if the queue is full. With block=false, or when
  // `timeout` lecture seconds pass, throws Full instead. Throws ValueError("'timeout' must
  // be a non-negative number") for a negative timeout on a blocking put into a bounded
  // queue, full or not, as Python does; a non-blocking put ignores the timeout and an
  // unbounded queue never waits, so neither looks at it.
  void put(T item, bool block = true, std::optional<double> timeout = std::nullopt) {
    if (block && maxsize_ > 0) check_timeout(timeout);
    scheduler().point("put", not_empty_.label());
    std::unique_lock lk(mutex_);
    if (maxsize_ > 0 && size() >= static_cast<std::size_t>(maxsize_)) {
      if (!block) throw Full();
      auto deadline = timeout ? Deadline::after(*timeout) : Deadline::never();
      if (!scheduler().wait(lk, not_full_, [&] { return size() < static_cast<std::size_t>(maxsize_); }, deadline))
        throw Full();
    }
    put_item(std::move(item));
    ++unfinished_tasks_;
    if (trace::on()) trace::record_queue(not_empty_label_base(), "puts an item into", size(), [&] { return next_items_text(); });
    scheduler().notify(not_empty_, 1);
  }
  void put_nowait(T item) { put(std::move(item), false); }

  // Removes and returns the next item, waiting while the queue is empty. With block=false,
  // or when `timeout` lecture seconds pass, throws Empty instead. Throws ValueError("'timeout'
  // must be a non-negative number") for a negative timeout on a blocking get, empty queue
  // or not; a non-blocking get ignores the timeout, as Python's does.
  T get(bool block = true, std::optional<double> timeout = std::nullopt) {
    if (block) check_timeout(timeout);
    scheduler().point("get", not_empty_.label());
    std::unique_lock lk(mutex_);
    if (size() == 0) {
      if (!block) throw Empty();
      auto deadline = timeout ? Deadline::after(*timeout) : Deadline::never();
      if (!scheduler().wait(lk, not_empty_, [&] { return size() > 0; }, deadline)) throw Empty();
    }
    T item = get_item();
    if (trace::on()) trace::record_queue(not_empty_label_base(), "gets an item from", size(), [&] { return next_items_text(); });
    if (maxsize_ > 0) scheduler().notify(not_full_, 1);
    return item;
  }
  T get_nowait() { return get(false); }

  // Marks one item got earlier as processed. Throws ValueError("task_done() called too
  // many times") when more are marked than were put.
  void task_done() {
    std::unique_lock lk(mutex_);
    if (unfinished_tasks_ <= 0) throw ValueError("task_done() called too many times");
    if (--unfinished_tasks_ == 0) scheduler().notify(all_done_, -1);
  }

  // Blocks until every item put has been marked done.
  void join() {
    std::unique_lock lk(mutex_);
    scheduler().wait(lk, all_done_, [&] { return unfinished_tasks_ == 0; }, Deadline::never());
  }

  std::size_t qsize() {
    std::lock_guard lk(mutex_);
    return size();
  }
  bool empty() { return qsize() == 0; }
  bool full() {
    std::lock_guard lk(mutex_);
    return maxsize_ > 0 && size() >= static_cast<std::size_t>(maxsize_);
  }
  int maxsize() const { return maxsize_; }

 protected:
  // The order policy (Python's _put/_get); called with the mutex held.
  virtual void put_item(T item) { items_.push_back(std::move(item)); }
  virtual T get_item() {
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }
  // The items the next gets would return, first first, at most `n` of them (the order
  // policy's; for --live's panel). Called with the mutex held.
  virtual std::vector<const T*> next_items(std::size_t n) const {
    std::vector<const T*> out;
    for (std::size_t i = 0; i < items_.size() && i < n; ++i) out.push_back(&items_[i]);
    return out;
  }
  std::size_t size() const { return items_.size(); }
  std::deque<T> items_;

 private:
  static std::string default_label() {
    return "queue " + std::to_string(runtime().next_site_number(SiteKind::kQueue));
  }
  std::string not_empty_label_base() const {
    const std::string& l = not_empty_.label();
    return l.substr(0, l.size() - std::string(" (not empty)").size());
  }
  // The next few items, as the panel shows them: "0, 1, 2" (", ..." when more follow).
  std::string next_items_text() const {
    constexpr std::size_t kShown = 8;
    std::string out;
    for (const T* item : next_items(kShown)) out += (out.empty() ? "" : ", ") + item_text(*item);
    if (size() > kShown) out += ", ...";
    return out;
  }
  static void check_timeout(std::optional<double> timeout) {
    if (timeout && *timeout < 0) throw ValueError("'timeout' must be a non-negative number");
  }
  int maxsize_;
  long unfinished_tasks_ = 0;
  std::mutex mutex_;
  WaitSite not_empty_;
  WaitSite not_full_;
  WaitSite all_done_;
};

template <typename T>
class LifoQueue : public Queue<T> {
 public:
  using Queue<T>::Queue;

 protected:
  T get_item() override {
    T item = std::move(this->items_.back());
    this->items_.pop_back();
    return item;
  }
  std::vector<const T*> next_items(std::size_t n) const override {
    std::vector<const T*> out;
    for (auto it = this->items_.rbegin(); it != this->items_.rend() && out.size() < n; ++it) out.push_back(&*it);
    return out;
  }
};

// Lowest first, like heapq; put (priority, data) pairs to order by priority.
template <typename T>
class PriorityQueue : public Queue<T> {
 public:
  using Queue<T>::Queue;

 protected:
  void put_item(T item) override {
    this->items_.push_back(std::move(item));
    std::push_heap(this->items_.begin(), this->items_.end(), std::greater<>());
  }
  T get_item() override {
    std::pop_heap(this->items_.begin(), this->items_.end(), std::greater<>());
    T item = std::move(this->items_.back());
    this->items_.pop_back();
    return item;
  }
  // Lowest first: the `n` lowest of the heap, in order.
  std::vector<const T*> next_items(std::size_t n) const override {
    std::vector<const T*> all;
    for (const T& item : this->items_) all.push_back(&item);
    n = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                      [](const T* a, const T* b) { return std::greater<>()(*b, *a); });
    all.resize(n);
    return all;
  }
};

}  // namespace concur
