// concurrent.futures, as a demo includes it: Future (future.h), as_completed
// (as_completed.h), Executor and map (executor.h), ThreadPoolExecutor (thread_pool.h).
//
//   ThreadPoolExecutor executor(5);                          // with ThreadPoolExecutor(5) as executor:
//   Future<std::string> f = executor.submit(task, i);        //     f = executor.submit(task, i)
//   for (const auto& done : as_completed(futures)) ...       //     for f in as_completed(fs): ...
//   for (int r : executor.map(square, values)) ...           //     for r in executor.map(square, values): ...
//
// Every wait goes through the waiting seam (a future's own site, a core Queue, Semaphore,
// Lock and Thread.join), so the deadlock detector and either scheduler see it.
#pragma once

#include "core/as_completed.h"
#include "core/executor.h"
#include "core/future.h"
#include "core/thread_pool.h"
