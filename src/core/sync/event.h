// threading.Event: a flag threads can wait for.
//
// Starts unset. set() wakes every waiter; a waiter woken by set() returns true even if
// clear() follows at once.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/seam.h"

namespace concur {

class Event {
 public:
  explicit Event(std::string label = "");
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool is_set();
  // Sets the flag and wakes all waiters. Idempotent.
  void set();
  // Resets the flag. Idempotent.
  void clear();
  // Blocks until the flag is set (true) or `timeout` lecture seconds pass (false); no
  // timeout waits for ever. A negative timeout does not wait.
  bool wait(std::optional<double> timeout = std::nullopt);

  WaitSite& site() { return site_; }

 private:
  bool flag_ = false;
  std::uint64_t generation_ = 0;  // bumped by set(), so a set-then-clear still wakes
  std::mutex mutex_;
  WaitSite site_;
};

}  // namespace concur
