// threading.Lock: a mutual-exclusion lock with Python's semantics.
//
// Not re-entrant: a second acquire() by the holder blocks (and the deadlock detector
// reports the self-wait). Unlike std::mutex, any thread may release it. The uncontended
// path is one compare-and-swap; only a contended acquire enters the waiting seam.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "core/seam.h"

namespace concur {

class Lock {
 public:
  // `label` names the lock in deadlock reports and traces ("fork 1"); default "lock N".
  explicit Lock(std::string label = "");
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  // Blocks until the lock is free, takes it, returns true. With blocking=false returns
  // false at once if it is held; with timeout >= 0 (lecture seconds) returns false when
  // it passes. Throws ValueError for a timeout with blocking=false or a negative timeout
  // other than -1.
  bool acquire(bool blocking = true, double timeout = -1);

  // Frees the lock, waking one waiter. Any thread may call it. Throws
  // RuntimeError("release unlocked lock") if it is not held.
  void release();

  // Whether some thread holds it.
  bool locked() const { return state_.load(std::memory_order_relaxed) != 0; }

  WaitSite& site() { return site_; }

  // std::lock_guard / std::scoped_lock compatibility (Python's `with lock:`).
  void lock() { acquire(); }
  void unlock() { release(); }

 private:
  std::atomic<int> state_{0};
  std::atomic<int> waiters_{0};
  std::mutex mutex_;
  WaitSite site_;
};

}  // namespace concur
