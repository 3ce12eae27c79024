#include "core/run.h"

#include <memory>

#include "core/deadlock.h"
#include "core/deterministic.h"
#include "core/random.h"
#include "core/real_scheduler.h"
#include "core/wait_table.h"

namespace concur {

namespace {

std::unique_ptr<Scheduler> scheduler_for(const RunOptions& options) {
  if (options.deterministic)
    return std::make_unique<DeterministicScheduler>(options.seed, options.chooser, Fd(options.turn_link));
  return std::make_unique<RealScheduler>(options.time_scale);
}

}  // namespace

void begin_run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  Runtime& rt = runtime();
  // The core's locks outside the runtime that fork() must not copy held (Runtime::ForkGuard).
  rt.guard_at_fork(deadlock::fork_mutex());
  rt.guard_at_fork(random::fork_mutex());
  rt.reset(options, out, err);
  wait_table::begin_run(rt.main_thread(), options.watch_stuck && !options.deterministic);
  deadlock::reset();
  random::seed(options.seed);
  rt.install(scheduler_for(options));
}

void end_run() { runtime().end_run(); }

// Declared by the seam (seam.h): the scheduler begin_run installed. Before any run (a
// command that runs no demo), a real one at scale 1.
Scheduler& scheduler() {
  Runtime& rt = runtime();
  if (!rt.scheduler_) rt.scheduler_ = std::make_unique<RealScheduler>(1.0);
  return *rt.scheduler_;
}

}  // namespace concur
