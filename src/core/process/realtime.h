// A steady-clock instant as the absolute CLOCK_REALTIME time that the process-shared
// timed calls take (pthread_mutex_timedlock, sem_timedwait). The timed calls rather than the
// clock* variants: ThreadSanitizer intercepts only them (with clocklock it sees an unlock of
// a mutex never locked). A wall-clock step can cost at most one of the seam's shared steps.
#pragma once

#include <time.h>

#include <chrono>

#include "core/seam.h"

namespace concur::process {

inline timespec realtime_at(SteadyClock::time_point until) {
  auto left = until - SteadyClock::now();
  auto at = std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(left);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
  return timespec{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

}  // namespace concur::process
