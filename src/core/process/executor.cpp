#include "core/process/executor.h"

#include <sched.h>

#include <thread>

namespace concur::process {

namespace {

constexpr const char* kAfterShutdown = "cannot schedule new futures after shutdown";

int checked_max_workers(std::optional<int> max_workers) {
  int n = 0;
  if (max_workers) {
    n = *max_workers;
  } else {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    if (n <= 0) n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  if (n <= 0) throw ValueError("max_workers must be greater than 0");
  return n;
}

}  // namespace

ProcessPoolExecutor::ProcessPoolExecutor(std::optional<int> max_workers)
    : max_workers_(checked_max_workers(max_workers)),
      workers_("ForkProcess", "ProcessPoolExecutor", max_workers_ + 1, false) {}

ProcessPoolExecutor::~ProcessPoolExecutor() {
  try {
    shutdown(true);
  } catch (...) {
    // A stopped run (ThreadExit): ~Workers terminates and reaps the workers.
  }
}

Future<Value> ProcessPoolExecutor::submit(const std::string& fn, List args) {
  if (shutdown_) throw RuntimeError(kAfterShutdown);
  find_function(fn);  // before any worker is forked for it
  if (!workers_.started()) workers_.start(max_workers_);
  return workers_.submit(fn, std::move(args), kAfterShutdown);
}

MapResults<Value> ProcessPoolExecutor::map(const std::string& fn, const List& items, std::optional<double> timeout) {
  std::optional<double> end_time;
  if (timeout) end_time = time::perf_counter() + *timeout;
  std::vector<Future<Value>> fs;
  for (const Value& item : items) fs.push_back(submit(fn, List{item}));
  return MapResults<Value>(std::move(fs), end_time);
}

void ProcessPoolExecutor::shutdown(bool wait, bool cancel_futures) {
  shutdown_ = true;
  if (!workers_.started()) return;
  workers_.close(cancel_futures);
  if (wait) workers_.join();
}

}  // namespace concur::process
