#include "core/aio/future.h"

#include <cstdint>

#include "core/runtime.h"
#include "core/trace.h"

namespace concur::aio::detail {

std::string& current_task() {
  thread_local std::string name;
  return name;
}

TaskTrace::TaskTrace(std::string task_name) : name(std::move(task_name)) {
  current_task() = name;
  trace::record_task(trace::Kind::kStart, name);
}

TaskTrace::~TaskTrace() {
  trace::record_task(trace::Kind::kEnd, name);
  if (current_task() == name) current_task().clear();
}

void trace_await(const std::string& me, bool begins) {
  if (me.empty() || !trace::on()) return;
  trace::record_task(begins ? trace::Kind::kWait : trace::Kind::kWoken, me, SiteKind::kFuture, "future");
}

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
