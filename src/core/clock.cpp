#include "core/clock.h"

#include <ctime>

#include "core/runtime.h"
#include "core/trace.h"

namespace concur::time {

void sleep(double seconds) {
  if (!trace::on()) return scheduler().sleep(seconds);
  trace::record(trace::Kind::kSleep, nullptr, "", seconds);
  struct Awake {
    ~Awake() { trace::record(trace::Kind::kAwake); }
  } awake;
  scheduler().sleep(seconds);
}

double perf_counter() { return scheduler().elapsed(); }

double allowance() {
  Scheduler& s = scheduler();
  if (s.is_virtual()) return 0;
  return std::chrono::duration<double>(kAllowance).count() / std::chrono::duration<double>(s.to_real(1.0)).count();
}

std::chrono::system_clock::time_point now() {
  return runtime().wall_start() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                      std::chrono::duration<double>(perf_counter()));
}

double time() { return std::chrono::duration<double>(now().time_since_epoch()).count(); }

std::tm calendar(std::time_t t) {
  std::tm tm{};
  if (scheduler().is_virtual())
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  return tm;
}

std::string ctime() {
  std::tm tm = calendar(std::chrono::system_clock::to_time_t(now()));
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

}  // namespace concur::time
