// threading.RLock: a re-entrant lock owned by the thread that acquired it.
//
// The owner may acquire it again; it is free after as many releases as acquires.
#pragma once

#include <mutex>
#include <string>

#include "core/seam.h"

namespace concur {

class RLock {
 public:
  explicit RLock(std::string label = "");
  RLock(const RLock&) = delete;
  RLock& operator=(const RLock&) = delete;

  // As Lock::acquire, except that the owner gets it again at once (the count goes up).
  bool acquire(bool blocking = true, double timeout = -1);

  // Drops one level; frees the lock at zero and wakes one waiter. Throws
  // RuntimeError("cannot release un-acquired lock") when the caller does not own it.
  void release();

  // Whether some thread holds it (true until the last release).
  bool locked();
  // Whether the calling thread owns it.
  bool is_owned();

  // For Condition: releases every level at once and returns the count; restores it.
  int release_save();
  void acquire_restore(int count);

  WaitSite& site() { return site_; }
  void lock() { acquire(); }
  void unlock() { release(); }

 private:
  int count_ = 0;  // guarded by mutex_; the owner is site_.owner
  std::mutex mutex_;
  WaitSite site_;
};

}  // namespace concur
