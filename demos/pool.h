// The parts of the `pool` demo: demos/pool.cpp runs the 002 `as-completed` variant and
// hands the others to the parts below.
#pragma once

#include "demo.h"

namespace concur::demos {

// pool__futures.cpp: 003 "Using ThreadPoolExecutor to Execute Tasks from a Pool of Worker
// Threads" (`square`), 004 "How to create a ThreadPoolExecutor?" (`future`) and 004 "Use
// of Executor.map() function" (`map`).
Check run_pool_square();
Check run_pool_future();
Check run_pool_map();

// pool__counting.cpp: 004 "When to use ProcessPoolExecutor and ThreadPoolExecutor?",
// the ThreadPoolExecutor half (`counting`).
Check run_pool_counting();

}  // namespace concur::demos
