// threading.Barrier: `parties` threads wait until all of them have arrived.
//
// wait() returns a distinct index 0..parties-1 per arrival; the action, if any, runs once
// in the last arriving thread before anyone is released, under the barrier's own mutex (as
// Python runs it under the barrier's lock): in a --deterministic run the action must not
// print or touch another primitive, since another thread may then take the turn and block
// on that mutex for good (no demo gives a Barrier an action). abort(), reset() while threads
// wait, or a timed-out wait break it: waiters get BrokenBarrierError; reset() makes it
// usable again.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/seam.h"

namespace concur {

class Barrier {
 public:
  // Throws ValueError("parties must be > 0") for parties < 1.
  explicit Barrier(int parties, std::function<void()> action = {},
                   std::optional<double> timeout = std::nullopt, std::string label = "");
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  // Blocks until `parties` threads have called wait(); returns this arrival's index.
  // Throws BrokenBarrierError if the barrier is or becomes broken, or the timeout
  // (lecture seconds; default the constructor's) passes, which breaks it.
  int wait(std::optional<double> timeout = std::nullopt);

  // Returns the barrier to its empty state; threads waiting now get BrokenBarrierError.
  void reset();
  // Breaks the barrier: current and future waits throw BrokenBarrierError until reset().
  void abort();

  int parties() const { return parties_; }
  int n_waiting();
  bool broken();

  WaitSite& site() { return site_; }

 private:
  void break_locked();
  int parties_;
  std::function<void()> action_;
  std::optional<double> default_timeout_;
  int count_ = 0;                 // threads waiting in this generation
  std::uint64_t generation_ = 0;  // bumped when a generation is released or reset
  bool broken_ = false;
  std::uint64_t reset_generation_ = UINT64_MAX;  // the generation reset() broke, if any
  std::mutex mutex_;
  WaitSite site_;
};

}  // namespace concur
