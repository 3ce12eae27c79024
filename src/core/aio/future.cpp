#include "aio/future.h"

#include <cstdint>

#include "runtime.h"

namespace concur::aio::detail {

std::string next_task_name() {
  // Counted per thread and per run, as each run of a demo starts its names afresh.
  thread_local int counter = 0;
  thread_local std::uint64_t run = 0;
  if (run != runtime().run_id()) {
    run = runtime().run_id();
    counter = 0;
  }
  return "Task-" + std::to_string(++counter);
}

}  // namespace concur::aio::detail
