#include "core/thread_pool.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/runtime.h"

namespace concur {

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

// A worker: run queued calls; when the queue is empty, count itself idle and wait. A call
// that leaves the queue empty counts its worker idle before its future is resolved, so the
// caller who wakes on result() and submits again finds this worker idle and no new thread
// starts (three rounds of submit(...).result() use one worker, as the lecture's
// ThreadPoolExecutor-0_0 shows). The sentinel (nullptr) after shutdown ends it, passed on
// so that every worker sees it.
void ThreadPoolExecutor::worker() {
  bool counted_idle = false;
  auto finishing = [&] {
    if (!work_queue_.empty()) return;
    idle_semaphore_.release();
    counted_idle = true;
  };
  for (;;) {
    std::shared_ptr<WorkItem> item;
    if (counted_idle) {
      item = work_queue_.get();
    } else {
      try {
        item = work_queue_.get_nowait();
      } catch (const Empty&) {
        idle_semaphore_.release();
        item = work_queue_.get();
      }
    }
    counted_idle = false;
    if (item) {
      item->run(finishing);
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
