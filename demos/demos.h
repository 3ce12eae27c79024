// The run functions of every demo's variants, one or more per file in this folder; the
// table (table.cpp) names each beside its variant. Each re-enacts one lecture program and
// returns its check.
#pragma once

#include "demos/demo.h"

namespace concur::demos {

// threads (demos/threads.cpp and its parts)
Check run_threads_my_func(const Context& ctx);
Check run_threads_no_join(const Context& ctx);
Check run_threads_join(const Context& ctx);
Check run_threads_subclass(const Context& ctx);
Check run_threads_worker(const Context& ctx);
Check run_threads_subclass_ctime(const Context& ctx);
Check run_threads_states(const Context& ctx);
Check run_threads_target(const Context& ctx);
Check run_threads_custom(const Context& ctx);
Check run_threads_join_worker(const Context& ctx);
Check run_threads_numbers_letters(const Context& ctx);
Check run_threads_start_new_thread(const Context& ctx);
Check run_threads_io_bound(const Context& ctx);

// threadinfo (demos/threadinfo.cpp and its parts)
Check run_threadinfo_current(const Context& ctx);
Check run_threadinfo_active(const Context& ctx);
Check run_threadinfo_ident(const Context& ctx);
Check run_threadinfo_start(const Context& ctx);

// daemon (demos/daemon.cpp and its parts)
Check run_daemon_background(const Context& ctx);
Check run_daemon_daemon(const Context& ctx);
Check run_daemon_hello(const Context& ctx);

// lock (demos/lock.cpp and its parts)
Check run_lock_coarse(const Context& ctx);
Check run_lock_fine(const Context& ctx);
Check run_lock_counter(const Context& ctx);
Check run_lock_manual(const Context& ctx);
Check run_lock_file(const Context& ctx);
Check run_lock_safe_set(const Context& ctx);
Check run_lock_with_lock(const Context& ctx);
Check run_lock_try_finally(const Context& ctx);

// rlock (demos/rlock.cpp and its parts)
Check run_rlock_rlock(const Context& ctx);
Check run_rlock_lock(const Context& ctx);

// semaphore (demos/semaphore.cpp and its parts)
Check run_semaphore_event(const Context& ctx);
Check run_semaphore_limit(const Context& ctx);
Check run_semaphore_workers_4(const Context& ctx);
Check run_semaphore_workers_5(const Context& ctx);

// event (demos/event.cpp and its parts)
Check run_event_waiter(const Context& ctx);
Check run_event_stop(const Context& ctx);
Check run_event_worker_main(const Context& ctx);

// condition (demos/condition.cpp and its parts)
Check run_condition_producer_consumer(const Context& ctx);

// race (demos/race.cpp and its parts)
Check run_race_unsafe(const Context& ctx);
Check run_race_locked(const Context& ctx);

// philosophers (demos/philosophers.cpp and its parts)
Check run_philosophers_greedy_generous(const Context& ctx);
Check run_philosophers_ordered(const Context& ctx);
Check run_philosophers_waiter(const Context& ctx);
Check run_philosophers_naive(const Context& ctx);

// queue (demos/queue.cpp and its parts)
Check run_queue_producer_consumer(const Context& ctx);
Check run_queue_sentinel(const Context& ctx);
Check run_queue_sequential(const Context& ctx);
Check run_queue_kinds(const Context& ctx);

// pool (demos/pool.cpp and its parts)
Check run_pool_as_completed(const Context& ctx);
Check run_pool_square(const Context& ctx);
Check run_pool_future(const Context& ctx);
Check run_pool_map(const Context& ctx);
Check run_pool_counting(const Context& ctx);
Check run_pool_mp_pool(const Context& ctx);
Check run_pool_fetch(const Context& ctx);

// fork (demos/fork.cpp and its parts)
Check run_fork_fork(const Context& ctx);

// spawn (demos/spawn.cpp and its parts)
Check run_spawn_myfunc(const Context& ctx);
Check run_spawn_tutorial(const Context& ctx);
Check run_spawn_start(const Context& ctx);
Check run_spawn_workers(const Context& ctx);
Check run_spawn_compare(const Context& ctx);
Check run_spawn_forkserver(const Context& ctx);

// process-name (demos/process_name.cpp and its parts)
Check run_process_name_naming(const Context& ctx);
Check run_process_name_pid_only(const Context& ctx);
Check run_process_name_pid(const Context& ctx);
Check run_process_name_subclass(const Context& ctx);

// daemon-process (demos/daemon_process.cpp and its parts)
Check run_daemon_process_background(const Context& ctx);
Check run_daemon_process_no_daemon(const Context& ctx);
Check run_daemon_process_hello(const Context& ctx);

// terminate (demos/terminate.cpp and its parts)
Check run_terminate_loop(const Context& ctx);
Check run_terminate_early(const Context& ctx);

// pipe (demos/pipe.cpp and its parts)
Check run_pipe_sender(const Context& ctx);
Check run_pipe_bidirectional(const Context& ctx);
Check run_pipe_docs(const Context& ctx);

// mpqueue (demos/mpqueue.cpp and its parts)
Check run_mpqueue_producer_consumer(const Context& ctx);
Check run_mpqueue_messages(const Context& ctx);
Check run_mpqueue_docs(const Context& ctx);
Check run_mpqueue_join_before_get(const Context& ctx);
Check run_mpqueue_get_before_join(const Context& ctx);

// shared-memory (demos/shared_memory.cpp and its parts)
Check run_shared_memory_value_array(const Context& ctx);
Check run_shared_memory_ctypes(const Context& ctx);
Check run_shared_memory_unshared(const Context& ctx);

// manager (demos/manager.cpp and its parts)
Check run_manager_records(const Context& ctx);
Check run_manager_namespace(const Context& ctx);

// gil (demos/gil.cpp and its parts)
Check run_gil_compare(const Context& ctx);
Check run_gil_sequential(const Context& ctx);
Check run_gil_threads(const Context& ctx);
Check run_gil_processes(const Context& ctx);
Check run_gil_simulated_gil(const Context& ctx);

// hybrid (demos/hybrid.cpp and its parts)
Check run_hybrid_hybrid(const Context& ctx);

// async (demos/async.cpp and its parts)
Check run_async_coffee(const Context& ctx);
Check run_async_hello(const Context& ctx);
Check run_async_gather(const Context& ctx);
Check run_async_future(const Context& ctx);
Check run_async_fetch_data(const Context& ctx);
Check run_async_cancel(const Context& ctx);
Check run_async_fetch(const Context& ctx);

// eventloop (demos/eventloop.cpp and its parts)
Check run_eventloop_all(const Context& ctx);
Check run_eventloop_call_soon(const Context& ctx);
Check run_eventloop_call_later(const Context& ctx);
Check run_eventloop_run_forever(const Context& ctx);
Check run_eventloop_future(const Context& ctx);
Check run_eventloop_coroutine(const Context& ctx);
Check run_eventloop_tasks(const Context& ctx);

// csp (demos/csp.cpp and its parts)
Check run_csp_parallel(const Context& ctx);
Check run_csp_network(const Context& ctx);

// reactive (demos/reactive.cpp and its parts)
Check run_reactive_all(const Context& ctx);
Check run_reactive_rxpy(const Context& ctx);
Check run_reactive_pyfunctional(const Context& ctx);

// timeit (demos/timeit.cpp and its parts)
Check run_timeit_decorator(const Context& ctx);
Check run_timeit_all(const Context& ctx);
Check run_timeit_timer(const Context& ctx);

}  // namespace concur::demos
