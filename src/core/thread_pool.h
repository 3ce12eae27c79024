// concurrent.futures.ThreadPoolExecutor: calls run on a pool of threads.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "core/executor.h"
#include "core/queue.h"
#include "core/sync/lock.h"
#include "core/sync/semaphore.h"
#include "core/thread.h"

namespace concur {

// concurrent.futures.ThreadPoolExecutor: calls run on up to max_workers threads named
// `ThreadPoolExecutor-P_W` (P counts pools from 0 per run, W workers from 0). Workers start
// lazily, one per submit while none is idle, and idle ones are reused. A worker whose call
// leaves the queue empty counts itself idle before it resolves the call's future, so
// `for ...: executor.submit(f).result()` runs every round on ThreadPoolExecutor-P_0
// (Python's worker does so after; the GIL makes the gap rarely seen there). Destroying the
// executor shuts it down and waits (Python's `with` block). shutdown(cancel_futures=true)
// cancels, in the calling thread, every call still in the queue, as Python does.
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
