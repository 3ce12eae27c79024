// What both benchmark programs measure, written once: `concur bench` (src/cli/cmd_bench.cpp,
// timed with std::chrono) and concur_bench (bench_core.cpp, timed by Google Benchmark) time
// these same pieces, each with its own harness.
//
// A queue handover: one producer puts n items, then one kStop per consumer; each consumer
// gets until it sees kStop. Done with the core's Queue and with the baseline one writes
// without the core (std::mutex + std::condition_variable + std::deque), both unbounded FIFOs
// as the lecture's Queue().
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

#include "core/queue.h"

namespace concur::bench {

inline constexpr int kStop = -1;  // a consumer's end-of-work item

// The baseline queue: unbounded FIFO, by hand.
class StdQueue {
 public:
  void put(int item) {
    {
      std::lock_guard lk(mutex_);
      items_.push_back(item);
    }
    not_empty_.notify_one();
  }
  int get() {
    std::unique_lock lk(mutex_);
    not_empty_.wait(lk, [&] { return !items_.empty(); });
    int item = items_.front();
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::deque<int> items_;
};

// The core's Queue (unbounded), constructible as the baseline is.
struct CoreQueue : Queue<int> {
  CoreQueue() : Queue<int>(0, "bench queue") {}
};

// The producer's side: puts items 0..n-1, then one kStop for each of `consumers`.
template <typename Q>
void produce(Q& q, long n, int consumers) {
  for (long i = 0; i < n; ++i) q.put(static_cast<int>(i));
  for (int c = 0; c < consumers; ++c) q.put(kStop);
}

// A consumer's side: gets until kStop; returns how many items it got before it.
template <typename Q>
long long consume(Q& q) {
  long long got = 0;
  while (q.get() != kStop) ++got;
  return got;
}

}  // namespace concur::bench
