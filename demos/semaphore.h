// The parts of the `semaphore` demo: demos/semaphore.cpp runs the 001 `event` variant
// and hands the 003 variants to the part below. (Not "semaphore.h": demos/ is an include
// directory, and that name would hide the system <semaphore.h> that <semaphore> includes.)
#pragma once

#include "demos/demo.h"

namespace concur::demos {

// semaphore__limit.cpp: 003 "Semaphore Objects in Threading" (`limit`) and the 003
// worker examples (`workers-4`, `workers-5`).
Check run_semaphore_limit(const Context& ctx);

}  // namespace concur::demos
