#include "core/cpu_cost.h"

#include <algorithm>
#include <chrono>

#include "core/seam.h"

namespace concur::cpu {

double clock() {
  Scheduler& s = scheduler();
  if (s.is_virtual()) return s.elapsed();
  return std::chrono::duration<double>(SteadyClock::now().time_since_epoch()).count();
}

bool modelled() { return scheduler().is_virtual(); }

void work(long long steps, double step_seconds, const std::function<void(long long)>& run) {
  if (steps <= 0) return;
  Scheduler& s = scheduler();
  if (!s.is_virtual()) return run(steps);
  for (long long left = steps; left > 0;) {
    long long block = std::min(left, kBlockSteps);
    run(block);
    left -= block;
    s.sleep(static_cast<double>(block) * step_seconds);
  }
}

}  // namespace concur::cpu
