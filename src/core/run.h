// Beginning and ending a run: the one place that wires the core's layers together for a
// run of a demo (or a test).
//
// begin_run resets, in order: the runtime (runtime.h: options, thread registry, output,
// stop signal) with the scheduler the options ask for installed (real_scheduler.h, or
// deterministic.h under `deterministic`), the run's wait table across processes
// (wait_table.h), the deadlock reports (deadlock.h) and the seeded random generator
// (random.h). Nothing below this file knows the layers above it; this file knows them all.
#pragma once

#include <ostream>

#include "core/runtime.h"

namespace concur {

// Starts a run on the calling thread, which becomes MainThread.
void begin_run(const RunOptions& options, std::ostream& out, std::ostream& err);

// Ends the run begun on this thread.
void end_run();

}  // namespace concur
