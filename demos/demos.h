// The run function of every demo, one per file in this folder.
#pragma once

#include "demo.h"

namespace concur::demos {

Check run_threads(const Context& ctx);
Check run_lock(const Context& ctx);
Check run_rlock(const Context& ctx);
Check run_semaphore(const Context& ctx);

}  // namespace concur::demos
