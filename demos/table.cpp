// The demo table: every demo, in the lecture's order. `concur list`, `check --all`,
// `explain` and `source` read this one table; nothing registers itself.
#include <iterator>
#include <stdexcept>

#include "demos/demos.h"

namespace concur::demos {

namespace {
// The time scales `check` runs a variant at (Variant::check_time_scale) when its lesson needs
// a lecture second to be long next to what a loaded machine adds. On 2 cores beside busy
// loops, starting a thread took up to 40 ms (start() returns once the thread runs) and a
// preempted print 8 ms: 20 and 4 lecture seconds at --fast.
// Threads sleeping side by side must start within a few lecture seconds of each other, and
// two prints take well under one: 20 ms a lecture second.
constexpr double kCheckScale = 0.02;
// Each naive philosopher must pick up his left fork before his neighbour, started just before
// him, reaches for it 5 lecture seconds in. At 0.02 (a 100 ms reach), 2 of about 60 dinners
// under ThreadSanitizer beside a build and the test suite missed the deadlock: 50 ms.
constexpr double kNaiveCheckScale = 0.05;
// Five download threads, started one after another at up to 60 ms each under load, must
// take well under the pages' 4.7 lecture seconds: 100 ms a lecture second.
// (`pool --variant fetch` runs at it too: its lookup of the made-up domain and the forking
// of its worker processes take real milliseconds, which at --fast would be lecture seconds
// and shuffle the lecture's order of the pages, 0.2 lecture seconds apart.)
constexpr double kFetchCheckScale = 0.1;
// Five threads started one after another, each started up to 40 ms late under load, then a
// 2 s wait: the total must read about 2 lecture seconds, so the start-up must be a fraction
// of one. At 0.02 the total read up to 4: 100 ms a lecture second.
constexpr double kIoBoundScale = 0.1;
// Threads taking turns at a queue (a 1 or 2 s pause after each item) must all have started
// before the first has emptied it, and a daemonic process must still be working when main,
// having started two processes (up to 60 ms each under load), ends: 50 ms a lecture second.
constexpr double kStartUpScale = 0.05;
}  // namespace

const std::vector<Demo>& table() {
  // The demos are built in place in an array and moved into the vector: a vector built from
  // a braced list copies every element (an initializer_list's are const), which was a
  // second table's worth of strings allocated, and pages touched, at every start.
  static const std::vector<Demo> demos = [] {
    Demo in_order[] = {
      {
          .name = "threads",
          .summary = "start, join and subclass threads",
          .watch = "each thread prints its own lines; join() decides whether main waits for them.",
          .variants =
              {
                  {"my-func", "ten threads, each started and joined in turn: N°0 … N°9 in order", run_threads_my_func},
                  {"no-join", "main does not join: its last line may come before the thread's", run_threads_no_join},
                  {"join", "main joins: its last line always comes after the thread's", run_threads_join},
                  {"subclass", "a Thread subclass named MyCustomThread counts to 4", run_threads_subclass},
                  {.name = "numbers-letters",
                   .summary = "two threads print numbers and letters side by side",
                   .run = run_threads_numbers_letters,
                   .check_time_scale = kCheckScale},
                  {"worker", "a thread named Worker Thread beside the main thread", run_threads_worker},
                  {.name = "start-new-thread",
                   .summary = "_thread.start_new_thread: two threads print ctime every 2 and 4 s",
                   .run = run_threads_start_new_thread,
                   .check_time_scale = kCheckScale},
                  {"subclass-ctime", "a Thread subclass prints ctime lines between Starting and Exiting",
                   run_threads_subclass_ctime},
                  {"states", "one thread goes new -> running -> waiting -> dead, each state named", run_threads_states},
                  {"target", "a thread with a target function prints Number: 0 … 4", run_threads_target},
                  {"custom", "a Thread subclass prints Custom Thread: 0 … 4", run_threads_custom},
                  {"join-worker", "main waits in join() while the worker works", run_threads_join_worker},
                  {.name = "io-bound",
                   .summary = "five I/O-bound tasks of 2 s overlap: about 2 s in all, not 10",
                   .run = run_threads_io_bound,
                   .check_time_scale = kIoBoundScale},
              },
          .sections =
              {
                  {"001", "Executing multiple threads"},
                  {"003", "Create and Start a Thread"},
                  {"003", "join() Method – The Saviour"},
                  {"002", "Creating Threads with a Class"},
                  {"002", "Basic Example"},
                  {"004", "<_thread> module"},
                  {"004", "How to create threads using the <threading> module?"},
                  {"004", "Python Program for Various Thread States"},
                  {"003", "Example 1: Creating a Thread with a Target Function"},
                  {"003", "Example 2: Subclassing the Thread Class"},
                  {"003", "Joining Threads (join() Method)"},
                  {"003", "Example: Multi-threaded I/O-bound Task"},
              },
      },
      {
          .name = "threadinfo",
          .summary = "names, idents and the live threads",
          .watch = "every thread has a Python-style name and an OS id; the live count falls back to 1.",
          .variants =
              {
                  {"current", "main_thread() and current_thread() from inside and outside a thread",
                   run_threadinfo_current},
                  {"active", "active_count() and enumerate() while threads come and go", run_threadinfo_active},
                  {"ident", "five threads print their OS thread id, running and then terminated", run_threadinfo_ident},
                  {"start", "Active Threads: [...] as threads start and finish", run_threadinfo_start},
              },
          .sections =
              {
                  {"003", "Getting Main and Current Thread"},
                  {"003", "Monitoring Currently Active Threads"},
                  {"003", "Getting Thread Id"},
                  {"004", "Starting a thread in Python"},
              },
      },
      {
          .name = "daemon",
          .summary = "daemon threads: stopped by the exit, not joined",
          .watch = "the daemon is still running when main finishes; nobody waits for it.",
          .variants =
              {
                  {"background", "a background task runs while main exits", run_daemon_background},
                  {"daemon", "daemon=True: the thread is abandoned at exit", run_daemon_daemon},
                  {"hello", "Hello every 2 s beside an 8 s non-daemon thread", run_daemon_hello},
              },
          .sections =
              {
                  {"002", "Daemon Threads"},
                  {"003", "Daemon Threads"},
                  {"004", "Daemon threads in Python"},
              },
      },
      {
          .name = "lock",
          .summary = "Lock: acquire/release around a critical section",
          .watch = "who holds the lock: coarse holding serialises the threads, fine holding lets them overlap.",
          .variants =
              {
                  {"coarse", "the lock is held across the sleep: running/over alternate, total = sum", run_lock_coarse},
                  {"fine", "the lock is released before the sleep: all run at once, total = longest", run_lock_fine},
                  {"counter", "counters incremented under a lock stay exact", run_lock_counter,
                   "every increment happens under the lock, so no update is lost."},
                  {"manual", "acquire, try/finally, release by hand: what `with` does for you", run_lock_manual,
                   "acquire() by hand, release() on every way out: the counter stays exact and the lock ends free."},
                  {"file", "two threads read a file one at a time under a lock", run_lock_file,
                   "one thread reads the whole file under the lock before the other begins: each copy comes out "
                   "whole."},
                  {"safe-set", "a set whose add/remove take a lock, hammered by threads", run_lock_safe_set,
                   "every add and remove takes the set's own lock: four threads at once, and each set ends exact."},
                  {"with-lock", "two threads, 100000 increments each under `with lock:`: Final Counter: 200000",
                   run_lock_with_lock, "every increment happens under the lock, so no update is lost."},
                  {"try-finally", "ten threads acquire, increment in try, release in finally: Final Counter Value: 10",
                   run_lock_try_finally,
                   "each thread releases the lock in its finally: the count is exact and the lock ends free."},
              },
          .sections =
              {
                  {"001", "Introducing the acquire() and release() methods"},
                  {"002", "Using Locks"},
                  {"002", "What is with?"},
                  {"003", "threading.Lock – Avoiding Race Conditions"},
                  {"004", "Sets"},
                  {"004", "Decorator"},
                  {"003", "1. Using Lock for Synchronization"},
                  {"003", "Threading Example: Using Lock"},
                  {"003", "Synchronization Primitives in Python"},
              },
      },
      {
          .name = "rlock",
          .summary = "RLock: a lock its owner may take again",
          .watch = "add() and remove() take the box's lock, then execute() takes it again inside.",
          .variants =
              {
                  {"rlock", "the lecture's Box with an RLock: nested acquires by the owner work", run_rlock_rlock},
                  {"lock", "the same Box with a plain Lock: the nested acquire deadlocks, reported", run_rlock_lock,
                   "execute() asks for the lock add() already holds: a plain Lock waits for itself."},
              },
          .sections = {{"001", "Implementing RLock"}},
      },
      {
          .name = "semaphore",
          .summary = "Semaphore: signal between threads, or limit how many run",
          .watch = "the consumer waits until the producer releases; it then logs the producer's item.",
          .variants =
              {
                  {"event", "Semaphore(0) as an event: ten rounds of consumer and producer, logged",
                   run_semaphore_event},
                  {"limit", "Semaphore(2): three threads, at most two inside at once", run_semaphore_limit,
                   "acquire() lets at most two threads past; a third waits for a release."},
                  {"workers-4", "Semaphore(2) with four workers",
                   run_semaphore_workers_4, "never more than two workers are working at once."},
                  {"workers-5", "Semaphore(3) with five workers",
                   run_semaphore_workers_5, "never more than three workers are working at once."},
              },
          .sections =
              {
                  {"001", "Implementing semaphore"},
                  {"003", "Semaphore Objects in Threading"},
              },
      },
      {
          .name = "event",
          .summary = "Event: one thread waits for another's signal",
          .watch = "the waiter blocks in wait() until another thread calls set().",
          .variants =
              {
                  {"waiter", "a waiter blocks until a setter sets the event", run_event_waiter},
                  {"stop", "an Event as a stop flag: the worker ends gracefully", run_event_stop,
                   "the worker checks the event each turn and stops soon after it is set."},
                  {"worker-main", "a worker waits; main prints and sets the event at once", run_event_worker_main,
                   "the worker blocks in wait() until main calls set(): \"Event received!\" always comes after "
                   "main's line."},
              },
          .sections =
              {
                  {"003", "Threading Example: Using Event"},
                  {"003", "3. Event (threading.Event)"},
                  {"003", "Example: Graceful Thread Termination"},
              },
      },
      {
          .name = "condition",
          .summary = "Condition: wait/notify on a bounded buffer",
          .watch = "producers wait while the buffer is full, consumers while it is empty.",
          .variants = {{"producer-consumer", "producers and consumers share a bounded list",
                        run_condition_producer_consumer}},
          .sections = {{"001", "Python Threading module (\"The condition object\")"}},
      },
      {
          .name = "race",
          .summary = "a race condition: lost updates, and the lock that prevents them",
          .watch = "x should reach 2 x iterations every round; without a lock it often does not.",
          .variants =
              {
                  {"unsafe", "two threads increment x with a separate load and store: updates get lost",
                   run_race_unsafe},
                  {"locked", "the same increments under a Lock: exact every round", run_race_locked,
                   "with the lock around each increment, x is exact every round."},
              },
          .sections =
              {
                  {"004", "Race condition"},
                  {"004", "Dealing with race condition using locks"},
              },
          .int_options =
              {
                  {"iterations", "increments per thread per round (1000 in a --deterministic census or check)", 50000, 1, 100000000,
                   1000},
                  {"rounds", "rounds (the lecture's iterations)", 5, 1, 10000},
                  {"increments", "increments per thread for --explore", 2, 1, 4, 0, {}, "explore"},
              },
          .flag_options =
              {
                  {"explore", "enumerate every interleaving of two threads' load/store steps instead of running them",
                   "every schedule of the two threads' steps is counted: how many lose an update, and how low x "
                   "can end.",
                   {}, /*replaces_run=*/true},
              },
      },
      {
          .name = "philosophers",
          .summary = "the dining philosophers: deadlock and three ways out",
          .watch = "who holds which fork; in the naive version everyone holds one and waits for ever.",
          .variants =
              {
                  {"greedy-generous", "the lecture's program: take a fork, try the other, swap if busy",
                   run_philosophers_greedy_generous},
                  {.name = "naive",
                   .summary = "everyone takes left then right: deadlock, detected and reported",
                   .run = run_philosophers_naive,
                   .watch = "each philosopher holds the left fork and waits for the right one: a cycle.",
                   .check_time_scale = kNaiveCheckScale},
                  {"ordered", "forks taken in a global order: no cycle, no deadlock", run_philosophers_ordered},
                  {"waiter", "a waiter (semaphore of n-1) lets at most n-1 sit down", run_philosophers_waiter},
              },
          .sections = {{"004", "Deadlocks: The Dining Philosophers problem"}},
          .int_options =
              {
                  {.name = "duration",
                   .help = "lecture seconds the dinner lasts",
                   .default_value = 30,
                   .min = 1,
                   .max = 3600,
                   .lecture_length = true},
                  {"philosophers", "philosophers at the table", 5, 2, 26},
              },
      },
      {
          .name = "queue",
          .summary = "queues between threads: producer/consumer, FIFO, LIFO, priority",
          .watch = "every item put is got exactly once, in the order the queue kind promises.",
          .variants =
              {
                  {"producer-consumer", "one producer, three consumers, the lecture's notify lines",
                   run_queue_producer_consumer},
                  {"sentinel", "a None sentinel tells the consumer to stop", run_queue_sentinel},
                  {"sequential", "put everything, then get everything", run_queue_sequential},
                  {.name = "kinds",
                   .summary = "FIFO, LIFO or priority order (--kind), with --threads workers",
                   .run = run_queue_kinds,
                   .check_time_scale = kStartUpScale},
              },
          .sections =
              {
                  {"001", "Using a Queue (Producer-Consumer)"},
                  {"002", "Example: Thread Communication with queue.Queue"},
                  {"003", "Using Queue for Thread Communication"},
                  {"004", "FIFO queue with single thread"},
                  {"004", "FIFO queue with multiple threads"},
                  {"004", "LIFO queue with single thread"},
                  {"004", "LIFO queue with multiple threads"},
                  {"004", "Priority queue with single thread"},
                  {"004", "Priority queue with multi threads"},
              },
          .int_options = {{"threads", "worker threads for --variant kinds (0 = the single-thread version)", 2, 0, 64, 0,
                           {"kinds"}}},
          .choice_options = {{"kind", "queue kind for --variant kinds", {"fifo", "lifo", "priority"}, {}, {"kinds"}}},
      },
      {
          .name = "pool",
          .summary = "thread and process pools and futures: submit, as_completed, map, multiprocessing.Pool",
          .watch = "tasks finish in their own order; map still yields in input order.",
          .variants =
              {
                  {"as-completed", "ten tasks on five workers, reported as they complete", run_pool_as_completed},
                  {"square", "squares computed on a pool", run_pool_square},
                  {"future", "a future before and after it is done: False, True (threads) / False (processes), "
                             "Completed", run_pool_future,
                   "done() answers at once (False while the task sleeps); result() waits for the task and returns "
                   "'Completed'."},
                  {"map", "Executor.map keeps the input order: 4 9 16 25", run_pool_map},
                  {"counting", "CPU-bound counting on a pool of threads or processes", run_pool_counting,
                   "the total against the two times: side by side it is about the longer, taking turns about the "
                   "sum (C++ threads have no GIL to take turns on)."},
                  {"mp-pool", "multiprocessing.Pool: map, apply_async, close and join (processes; no --executor)",
                   run_pool_mp_pool,
                   "the lists come back in input order, whichever worker process computed each item."},
                  {.name = "fetch",
                   .summary = "load_url on five workers with as_completed: the lecture's URLs through a local "
                              "proxy, the made-up domain not resolved",
                   .run = run_pool_fetch,
                   .watch = "the pages come in the order they arrive, not the list's; the made-up domain fails with "
                            "the resolver's own error.",
                   .check_time_scale = kFetchCheckScale},
              },
          .sections =
              {
                  {"002", "Thread Pooling with concurrent.futures"},
                  {"003", "Using ThreadPoolExecutor to Execute Tasks from a Pool of Worker Threads"},
                  {"004", "How to create a ThreadPoolExecutor?"},
                  {"004", "Use of `Executor.map()` function"},
                  {"004", "How to create a ProcessPoolExecutor?"},
                  {"004", "Use of the `Executor.map()` function"},
                  {"004", "When to use `ProcessPoolExecutor` and `ThreadPoolExecutor`?"},
                  {"003", "Example: Using Pool for Parallel Execution"},
                  {"003", "Example: Asynchronous Execution with apply_async"},
                  {"004", "Python Multiprocessing Module – Pool Class"},
                  {"004", "ThreadPoolExecutor"},
                  {"004", "Instantiating ProcessPoolExecutor – Context Manager"},
              },
          .choice_options = {{"executor", "where the tasks run: threads or processes", {"thread", "process"},
                              {},
                              {"as-completed", "square", "future", "map", "counting", "fetch"}}},
      },
      {
          .name = "fork",
          .summary = "os.fork(): one program becomes two processes",
          .watch = "two different PIDs; the child's parent is the parent, which reaps it.",
          .variants = {{"fork", "the parent and the child each print their PID", run_fork_fork}},
          .sections = {{"004", "Creating a process with Fork"}},
      },
      {
          .name = "spawn",
          .summary = "starting processes: Process(target, args), start(), join()",
          .watch = "each child prints its own lines; spawn starts a fresh program, fork copies the parent.",
          .variants =
              {
                  {"myfunc", "six processes, each started and joined in turn, counting up to i", run_spawn_myfunc},
                  {"tutorial", "three processes print 'This is process: i'", run_spawn_tutorial},
                  {"start", "four processes started together, then joined", run_spawn_start},
                  {"workers", "the GIL workaround: four processes print 'Worker process'", run_spawn_workers},
                  {"compare", "compute_square on five threads, then on five processes", run_spawn_compare},
                  {"forkserver", "children forked by the forkserver: their parent is the server, not main",
                   run_spawn_forkserver,
                   "the children's parent pid is the forkserver's, not main's: the server forks them."},
              },
          .sections =
              {
                  {"001", "Multiprocessing: spawning a process"},
                  {"004", "Creating a process with Spawn"},
                  {"003", "Example: Creating and Starting Processes"},
                  {"003", "Workarounds to GIL Limitations"},
                  {"003", "Example: Comparing Threading and Multiprocessing"},
                  {"004", "Creating a process with Forkserver"},
              },
          .choice_options = {{"start-method", "how children start: a fresh image, a copy, or forked by a server",
                              {"spawn", "fork", "forkserver"},
                              {},
                              {"myfunc", "tutorial", "start", "workers", "compare"}}},
      },
      {
          .name = "process-name",
          .summary = "process names and ids: current_process(), Process-N, a subclass",
          .watch = "the default name counts every process made, named or not; a subclass is MyProcess-N.",
          .variants =
              {
                  {"naming", "one process named 'myFunc process', one left as Process-2", run_process_name_naming},
                  {"pid-only", "print(multiprocessing.current_process().pid): the PID alone", run_process_name_pid_only,
                   "current_process().pid is the PID of the process that asks: here the main process."},
                  {"pid", "the main process's PID, then the child's", run_process_name_pid},
                  {"subclass", "five MyProcess objects whose run() prints their name", run_process_name_subclass},
              },
          .sections =
              {
                  {"001", "Naming a process"},
                  {"004", "Identifying the current process in Python"},
                  {"004", "Using a process in subclass"},
              },
      },
      {
          .name = "daemon-process",
          .summary = "daemon processes: terminated when the main program ends",
          .watch = "the daemonic child is gone as soon as main ends; the other is waited for.",
          .variants =
              {
                  {.name = "background",
                   .summary = "only NO_background_process prints: the daemon is terminated at exit",
                   .run = run_daemon_process_background,
                   .check_time_scale = kStartUpScale},
                  {"no-daemon", "background_process.daemon = False: both processes run to the end",
                   run_daemon_process_no_daemon},
                  {.name = "hello",
                   .summary = "an endless 'Hello' daemon beside an 8 s non-daemon process",
                   .run = run_daemon_process_hello,
                   .check_time_scale = kStartUpScale},
              },
          .sections =
              {
                  {"001", "Running a process in the background"},
                  {"004", "Daemon processes in Python"},
              },
      },
      {
          .name = "terminate",
          .summary = "terminate(): stopping a child process from outside",
          .watch = "the child never finishes on its own; its exit code is -15 (SIGTERM).",
          .variants =
              {
                  {"loop", "an endless 'Running...' worker stopped after 5 s", run_terminate_loop},
                  {"early", "a child terminated right after start, before 'Finished function'", run_terminate_early},
              },
          .sections =
              {
                  {"003", "Example: Terminating a Process"},
                  {"004", "Terminating processes in Python"},
              },
      },
      {
          .name = "pipe",
          .summary = "Pipe(): two connected ends between processes",
          .watch = "each message arrives whole and in order; a pipe whose writers are gone reads as EOFError.",
          .variants =
              {
                  {"sender", "one process sends 'Hello from sender!', another receives it", run_pipe_sender},
                  {"bidirectional", "child and parent each send one message on a duplex pipe", run_pipe_bidirectional},
                  {"docs", "Python's docs example: [42, None, 'hello'], then end of file", run_pipe_docs},
              },
          .sections =
              {
                  {"003", "Example: Using Pipe"},
                  {"003", "Using Pipe (Bidirectional Communication)"},
                  {"004", "Pipes"},
              },
      },
      {
          .name = "mpqueue",
          .summary = "multiprocessing.Queue: one FIFO shared by processes",
          .watch = "every item a process puts is got once, in the order it was put, by another process.",
          .variants =
              {
                  {"producer-consumer", "a producer process appends 10 items, a consumer process pops them",
                   run_mpqueue_producer_consumer},
                  {"messages", "a child produces 0..4 for another; then a child's messages reach the parent",
                   run_mpqueue_messages},
                  {"docs", "Python's docs example: the child puts [42, None, 'hello'], the parent gets it",
                   run_mpqueue_docs},
                  {"join-before-get",
                   "Python's docs warning: join a child before getting its 1 MB item: a deadlock, reported",
                   run_mpqueue_join_before_get,
                   "the parent waits for the child to end, the child for the pipe to drain: nobody can move, and "
                   "concur says so."},
                  {"get-before-join", "the fix: get the 1 MB item first, then join the child",
                   run_mpqueue_get_before_join,
                   "the parent reads while the child writes, so the child's put() finishes and it can end."},
              },
          .sections =
              {
                  {"001", "Process synchronisation - Queue"},
                  {"003", "Example: Using Queue"},
                  {"003", "Using Queue (Multi-Producer, Multi-Consumer)"},
                  {"004", "Queues"},
              },
      },
      {
          .name = "shared-memory",
          .summary = "Value and Array: memory forked children share",
          .watch = "what children write in a Value or Array the parent reads exactly; a plain list stays the parent's own.",
          .variants =
              {
                  {"value-array", "three children, then two locked loops: Shared Value: 3, Final shared value: 10",
                   run_shared_memory_value_array},
                  {"ctypes", "Python's docs example: a child sets 3.1415927 and negates Array('i', range(10))",
                   run_shared_memory_ctypes},
                  {"unshared", "children append to a plain list; the parent's stays empty: Final List Length: 0",
                   run_shared_memory_unshared},
              },
          .sections =
              {
                  {"003", "Example: Using Value and Array"},
                  {"004", "Ctypes-Array & Value"},
                  {"003", "Multiprocessing Example: Using Lock"},
              },
      },
      {
          .name = "manager",
          .summary = "Manager: a server process owns a list and a Namespace",
          .watch = "each proxy call goes to the SyncManager process; what a child appends or sets, the parent reads back.",
          .variants =
              {
                  {"records", "one child appends ('English', 3) to a managed list, another prints all four records",
                   run_manager_records},
                  {"namespace", "a child does x += 5, y *= 10 on a Namespace: before Namespace(x=1, y=1), after x=6, y=10",
                   run_manager_namespace},
              },
          .sections =
              {
                  {"004", "Manager"},
                  {"004", "Concept of Namespaces in Manager"},
              },
      },
      {
          .name = "gil",
          .summary = "CPU-bound work: threads vs processes, and a simulated GIL",
          .watch = "C++ has no GIL: two threads count on two cores at once; under one interpreter lock they take turns.",
          .variants =
              {
                  {"compare", "sequential, two threads, two processes and a simulated GIL, with speed-ups",
                   run_gil_compare},
                  {"sequential", "countdown(50000000) in the main thread", run_gil_sequential,
                   "one thread counts every step: the baseline the other versions are measured against."},
                  {"threads", "two threads count 25000000 each, side by side", run_gil_threads},
                  {"processes", "two processes count 25000000 each", run_gil_processes},
                  {"simulated-gil", "two threads under one interpreter lock, handed over every N steps",
                   run_gil_simulated_gil,
                   "only the holder of the interpreter lock counts: the threads take turns, no speed-up."},
              },
          .sections =
              {
                  {"003", "Impact on multi-threaded Python programs"},
                  {"003", "How to deal with Python's GIL"},
              },
          .int_options =
              {
                  // check: 10,000,000 steps, still tens of times a thread's or a process's start
                  {"count", "steps to count down (split in two for threads and processes)", 50000000, 1000,
                   1000000000, 0, {}, "", 10000000},
                  {"switch-interval", "steps between hand-overs of the simulated GIL", 100000, 1, 1000000000, 0,
                   {"compare", "simulated-gil"}},
              },
      },
      {
          .name = "hybrid",
          .summary = "threads download while a process computes factorial(50000)",
          .watch = "the downloads and the factorial overlap; the sizes are the server's and the factorial has 213237 "
                   "digits.",
          .variants = {{"hybrid", "two download threads and one factorial process, then All tasks completed.",
                        run_hybrid_hybrid}},
          .sections = {{"003", "Hybrid System: Using Both Threading and Multiprocessing"}},
      },
      {
          .name = "async",
          .summary = "asyncio: coroutines, tasks, gather and futures on one thread's event loop",
          .watch = "the concurrent version takes about the longest wait, not the sum, and every line comes from "
                   "MainThread: one thread taking turns.",
          .variants =
              {
                  {"coffee", "coffee (2 s) and pastry (3 s): one after the other (5 s), then as tasks (3 s)",
                   run_async_coffee},
                  {"hello", "await a coroutine that sleeps 4 s, then prints Hello", run_async_hello,
                   "Hello comes after the awaited 4 s sleep, from MainThread."},
                  {"gather", "task1 (4 s) and task2 (1 s) as tasks, gathered: Task 2 done first", run_async_gather,
                   "Task 2 done before Task 1 done, and 4 s in all, not 5."},
                  {"future", "a task as a Future: it finishes while main is on a 5 s vacation", run_async_future,
                   "the result is waiting when main comes back: 5 s in all, not 6."},
                  {"fetch-data", "three 1 s fetch_data() coroutines, gathered: Data fetched x3 after 1 s",
                   run_async_fetch_data,
                   "three Data fetched lines together, after 1 s, not 3."},
                  {"cancel", "task.cancel() reaches cancel_me() at its await; a cancelled gather cancels its children",
                   run_async_cancel,
                   "CancelledError arrives at the await: cancel_me() prints, cleans up and re-raises, and only then "
                   "is the task cancelled()."},
                  {.name = "fetch",
                   .summary = "the lecture's five URLs through a local proxy: asyncio.gather, a thread per page, one "
                              "after another",
                   .run = run_async_fetch,
                   .check_time_scale = kFetchCheckScale},
              },
          .sections =
              {
                  {"002", "Example: Making Coffee and Pastry"},
                  {"002", "Using Them Together"},
                  {"002", "Example of Using Futures"},
                  {"003", "Implementing concurrent I/O with asyncio"},
                  {"001", "Asyncio: Example"},
                  {"001", "Threading: Code Example"},
                  {"004", "Sharing of I/O Resources"},
              },
      },
      {
          .name = "eventloop",
          .summary = "asyncio's event loop by hand: call_soon, call_later, run_forever, a Future, a coroutine, tasks",
          .watch = "one thread runs everything: each callback or coroutine step runs to its end, in the order the "
                   "loop scheduled it.",
          .variants =
              {
                  {"all", "the six examples below, in the lecture's order, each on a fresh loop", run_eventloop_all},
                  {"call-soon", "call_soon(hello_world, loop): Hello World, then stop() ends run_forever()",
                   run_eventloop_call_soon,
                   "Hello World comes from the loop's next turn, after call_soon() returned; stop() ends the loop."},
                  {"call-later", "callbacks 3, 1 and 2 s ahead run in the order of their delays",
                   run_eventloop_call_later,
                   "callback 1, 2, 3 at about 1, 2 and 3 s by loop.time(), whatever order they were scheduled in."},
                  {"run-forever", "a tick every second keeps run_forever() going until stop() at 3.5 s",
                   run_eventloop_run_forever,
                   "ticks once a second, then loop.stop() at 3.5 s: run_forever() returns once that turn of the "
                   "loop is done."},
                  {"future", "a coroutine sets a Future's result after 2 s: Future Completed", run_eventloop_future,
                   "run_until_complete(future) returns after the coroutine's 2 s sleep, with the result it set."},
                  {"coroutine", "run_until_complete(Myoperation()): First Coroutine", run_eventloop_coroutine},
                  {"tasks", "ten tasks made with ensure_future: Tasks Completed, then Processing 0..9",
                   run_eventloop_tasks,
                   "Tasks Completed first; then one Processing line a second: time.sleep(1) blocks the loop, "
                   "10 s in all, not 1."},
              },
          .sections =
              {
                  {"004", "Python Module – Asyncio"},
              },
      },
      {
          .name = "csp",
          .summary = "communicating sequential processes: Parallel() and channels",
          .watch = "Terminating comes only after both processes end; on the channels, every number meets its square.",
          .variants =
              {
                  {"parallel", "PyCSP's Parallel(P1(), P2()): P2 exiting, P1 exiting, Terminating", run_csp_parallel},
                  {"network", "two processes joined by two channels, retired by closing the writers", run_csp_network},
              },
          .sections = {{"004", "Python library – PyCSP"}},
      },
      {
          .name = "reactive",
          .summary = "RxPY's Observable and Observer, and a PyFunctional map/filter/reduce pipeline",
          .watch = "the observer gets each name as the source pushes it, then one ending: Finished, or Error.",
          .variants =
              {
                  {"all", "both examples, in the lecture's order", run_reactive_all},
                  {"rxpy", "a source pushes Ram, Mohan, Shyam, then completes; another fails after two names",
                   run_reactive_rxpy},
                  {"pyfunctional", "seq(1, 2, 3).map(x * 2).filter(x > 4).reduce(x + y): Result: 6",
                   run_reactive_pyfunctional,
                   "2, 4, 6 after map, 6 after filter: Result: 6."},
              },
          .sections =
              {
                  {"004", "RxPY – Python Module for Reactive Programming"},
                  {"004", "PyFunctional library for reactive programming"},
              },
      },
      {
          .name = "timeit",
          .summary = "timing code: timeit.default_timer around two functions, and a timer decorator",
          .watch = "the time printed is the time between two readings of the clock around the call: tiny for "
                   "prints, about the sum of the sleeps for Myfunction.",
          .variants =
              {
                  {.name = "all",
                   .summary = "both examples, in the lecture's order",
                   .run = run_timeit_all,
                   .check_time_scale = kCheckScale},
                  {.name = "timer",
                   .summary = "default_timer() before and after functionA and functionB: tiny times",
                   .run = run_timeit_timer,
                   .watch = "each function only prints, so each time is a tiny fraction of a second.",
                   .check_time_scale = kCheckScale},
                  {"decorator", "a timer wrapped around Myfunction's five 1-2 s sleeps: about 8 s",
                   run_timeit_decorator,
                   "Myfunction took about the sum of its five sleeps (lecture seconds, even with --fast)."},
              },
          .sections =
              {
                  {"004", "Python module for benchmarking"},
                  {"004", "Writing our own timer using the decorator function"},
              },
      },
    };
    return std::vector<Demo>(std::make_move_iterator(std::begin(in_order)), std::make_move_iterator(std::end(in_order)));
  }();
  return demos;
}

const Variant& Demo::variant(const std::string& name) const {
  for (const Variant& v : variants)
    if (v.name == name) return v;
  throw std::out_of_range("demo " + this->name + " has no variant " + name);
}

const Demo* find(const std::string& name) {
  for (const Demo& d : table())
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace concur::demos
