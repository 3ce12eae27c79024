// threading.Semaphore and threading.BoundedSemaphore.
//
// A counter: acquire() takes one (blocking at zero), release(n) adds n and wakes up to n
// waiters. A plain Semaphore may be released past its initial value; a BoundedSemaphore
// may not.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/seam.h"

namespace concur {

class Semaphore {
 public:
  // Throws ValueError("semaphore initial value must be >= 0") for value < 0.
  explicit Semaphore(int value = 1, std::string label = "");
  virtual ~Semaphore() = default;
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Blocks until the counter is positive, decrements it, returns true. blocking=false or
  // a timeout (lecture seconds; std::nullopt, Python's None, for none) return false instead
  // of waiting past it. A negative timeout, -1 included, waits not at all, as Python's
  // (unlike Lock.acquire, where -1 means for ever). Throws ValueError("can't specify
  // timeout for non-blocking acquire") for a timeout with blocking=false.
  bool acquire(bool blocking = true, std::optional<double> timeout = std::nullopt);

  // Adds n to the counter and wakes up to n waiters. Throws ValueError("n must be one or
  // more") for n < 1.
  virtual void release(int n = 1);

  // The counter now (Python's private _value; for checks and narration).
  int value();

  WaitSite& site() { return site_; }
  void lock() { acquire(); }
  void unlock() { release(); }

 protected:
  int value_;
  std::mutex mutex_;
  WaitSite site_;
};

class BoundedSemaphore : public Semaphore {
 public:
  explicit BoundedSemaphore(int value = 1, std::string label = "");
  // As Semaphore::release, but throws ValueError("Semaphore released too many times")
  // when the counter would pass the initial value.
  void release(int n = 1) override;

 private:
  int initial_;
};

}  // namespace concur
