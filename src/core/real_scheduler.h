// The real scheduler: demo threads are OS threads running in parallel, and a lecture
// second is `time_scale` real seconds (--time-scale, --fast).
//
// A thread that parks without a deadline looks for a deadlock cycle at once (the last
// thread of a cycle to park closes it, and finds it: reported within kConfirm); waits also
// wake every `kSlice` to notice a stopped run and to look again.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "core/seam.h"

namespace concur {

class RealScheduler : public Scheduler {
 public:
  static constexpr auto kSlice = std::chrono::milliseconds(50);
  // A cycle found when a thread parks is reported if it is still there, unchanged, this
  // long after (a cycle read from the atomics while a holder is mid-release would move).
  static constexpr auto kConfirm = std::chrono::milliseconds(5);
  explicit RealScheduler(double time_scale);
  bool wait(std::unique_lock<std::mutex>& lk, WaitSite& site, const std::function<bool()>& ready,
            Deadline deadline) override;
  void notify(WaitSite& site, int n) override;
  void sleep(double lecture_seconds) override;
  double elapsed() const override;
  SteadyClock::duration to_real(double lecture_seconds) const override;

 private:
  double scale_;
  SteadyClock::time_point start_;
};

}  // namespace concur
