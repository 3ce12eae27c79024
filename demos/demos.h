// The run function of every demo, one per file in this folder.
#pragma once

#include "demos/demo.h"

namespace concur::demos {

Check run_threads(const Context& ctx);
Check run_lock(const Context& ctx);
Check run_rlock(const Context& ctx);
Check run_semaphore(const Context& ctx);
Check run_threadinfo(const Context& ctx);
Check run_daemon(const Context& ctx);
Check run_event(const Context& ctx);
Check run_condition(const Context& ctx);
Check run_race(const Context& ctx);
Check run_philosophers(const Context& ctx);
Check run_queue(const Context& ctx);
Check run_pool(const Context& ctx);
Check run_fork(const Context& ctx);
Check run_spawn(const Context& ctx);
Check run_process_name(const Context& ctx);
Check run_daemon_process(const Context& ctx);
Check run_terminate(const Context& ctx);
Check run_pipe(const Context& ctx);
Check run_mpqueue(const Context& ctx);
Check run_shared_memory(const Context& ctx);
Check run_manager(const Context& ctx);
Check run_gil(const Context& ctx);
Check run_hybrid(const Context& ctx);
Check run_async(const Context& ctx);
Check run_eventloop(const Context& ctx);
Check run_csp(const Context& ctx);
Check run_reactive(const Context& ctx);
Check run_timeit(const Context& ctx);

}  // namespace concur::demos
