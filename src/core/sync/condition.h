// threading.Condition: wait for a notification while holding a lock.
//
// The lock is an RLock of its own unless one is given (a Lock or an RLock, shared with
// the caller). wait() releases it fully, parks, and re-acquires it before returning.
// notify(n) wakes at most n waiters, oldest first.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/seam.h"
#include "core/sync/lock.h"
#include "core/sync/rlock.h"

namespace concur {

class Condition {
 public:
  // A condition with its own RLock.
  explicit Condition(std::string label = "");
  // A condition over `lock`, which must outlive it.
  explicit Condition(Lock& lock, std::string label = "");
  explicit Condition(RLock& lock, std::string label = "");
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  // The underlying lock's acquire/release (`with condition:`).
  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  void lock() { acquire(); }
  void unlock() { release(); }

  // Releases the lock, blocks until notified or `timeout` lecture seconds pass, re-acquires
  // the lock. Returns false on timeout. Throws RuntimeError("cannot wait on un-acquired
  // lock") when the caller does not hold the lock.
  bool wait(std::optional<double> timeout = std::nullopt);

  // Waits until predicate() is true (checked with the lock held) or the timeout passes;
  // returns the predicate's last value.
  bool wait_for(const std::function<bool()>& predicate, std::optional<double> timeout = std::nullopt);

  // Wakes up to n waiters, oldest first. Throws RuntimeError("cannot notify on un-acquired
  // lock") when the caller does not hold the lock.
  void notify(int n = 1);
  void notify_all();

  WaitSite& site() { return site_; }

 private:
  bool is_owned();
  void restore(int saved);
  struct Waiter {
    bool notified = false;
  };
  std::unique_ptr<RLock> own_lock_;
  Lock* lock_ = nullptr;
  RLock* rlock_ = nullptr;
  std::deque<Waiter*> waiters_;  // guarded by mutex_, oldest first
  std::mutex mutex_;
  WaitSite site_;
};

}  // namespace concur
