// The run's wait-for view across processes: what every thread of every process of a run
// waits on, in one table of shared memory, so that a run stuck across processes is seen.
//
// A deadlock inside one process is a cycle of threads and the locks they hold (deadlock.h).
// Between processes there is often no cycle to walk: the parent joins a child whose only
// thread waits for room in a pipe that only the parent would read (Python's documentation
// warns of exactly this: "joining processes that use queues"). What is true then is simpler:
// every live thread of every process of the run waits without a timeout, so nothing can
// ever wake any of them. This table makes that visible.
//
//   - The run's first process maps the table (anonymous shared memory) in begin_run,
//     before any fork; forked children share it and add their own threads' rows. Each
//     registered thread has a row: its process's pid and name, its thread's tid and name,
//     and while it is parked (seam.h's Parked) what it waits on and whether for ever.
//   - `awake` counts the rows not parked for ever, plus the run's processes the table cannot
//     see (spawn and forkserver children start from a fresh image: hide()). The thread whose
//     park brings it to 0 holds a watch (Watch below): if, kConfirm later, it is still 0 and
//     no row has changed, the run is stuck. A thread woken meanwhile changes both.
//   - The reporter prints who waits for what ("Process-1/MainThread waits until Queue not
//     full, which no running thread will change"), then stops the threads at the ends of the
//     chains (every one not waiting for a thread or process to finish) as a deadlock report
//     does: a thread of its own process through stop_thread(), one of another process by a
//     flag in its row and SIGUSR2, which interrupts its kernel wait (the seam's ppoll lets
//     SIGUSR2 in; elsewhere it stays blocked). They unwind, their processes end, and the
//     joins behind them return, so the demo ends with its check instead of hanging.
//
// Only real runs keep the table (a deterministic run has its own stuck check), and a
// spawned or forkserver child keeps none (it cannot see its parent's table, and its own
// would miss the parent). Threads the core does not register (an output relay, the signal
// thread, an HTTP server's thread) are not in it: none of them is what a demo waits for,
// except an HTTP server, whose clients wait in an io_context, never parked.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/seam.h"

namespace concur {
struct ThreadState;
}

namespace concur::wait_table {

// How long the count of awake rows must stay 0, with no row changing, to call a run stuck:
// far longer than a woken thread waits for a CPU, even on a loaded machine.
inline constexpr auto kConfirm = std::chrono::milliseconds(250);

// Starts the table for a run (begin_run in run.h, after the main thread's state is reset).
// `keep`: this process keeps a table at all (false in deterministic runs and in spawned or
// forkserver children). The run's first process makes or clears the table; a forked child
// keeps its parent's and adds its main thread.
void begin_run(ThreadState& main, bool keep);

// A registered thread's row (Runtime::register_thread / unregister_thread).
void add(ThreadState& t);
void remove(ThreadState& t);

// In a forked child, once it knows its name ("Process-1"): how its rows are reported.
void name_process(const std::string& name);

// The seam's Parked: `t` parks on `site` (for ever or not), and wakes.
void parked(ThreadState& t, const WaitSite& site, bool forever);
void unparked(ThreadState& t, bool forever);

// A child the table cannot see starts (+1) or is reaped (-1): while one lives, the run is
// never called stuck.
void hide(int delta);
// A reaped child's rows go (its threads are gone, whatever state they were left in).
void forget(pid_t pid);

// Whether `t` was stopped by a report made in another process (check_stop reads it).
bool stop_requested(const ThreadState& t);

// Whether this run was reported stuck, in any of its processes.
bool reported();

// Held by a thread parked for ever, across the loop of its wait. arm() after parking: the
// instant to look again (when this park made the run look stuck), or none. check() at that
// instant: true if the run was stuck and has been reported (the caller then sees its own
// stop, if it was stopped). Cheap when nothing looks stuck.
class Watch {
 public:
  std::optional<SteadyClock::time_point> arm(ThreadState& me);
  bool check(ThreadState& me);
  // The instant to look again, if armed.
  std::optional<SteadyClock::time_point> due() const { return due_; }

 private:
  std::optional<SteadyClock::time_point> due_;
  std::vector<unsigned> versions_;
};

// The signal that interrupts a kernel wait of a thread stopped from another process.
int wake_signal();

// A thread of another process of the run as its row shows it now (for --live's panel).
struct Seen {
  long pid;
  std::string process;  // "Process-1"
  std::string thread;   // "MainThread"
  SiteKind kind;        // what it waits on, when `waiting`
  std::string site;
  bool waiting;
};
// The rows of the run's other processes (forked children and theirs; spawned ones keep no
// row), in row order. Empty when this process keeps no table. Reads only; any thread.
std::vector<Seen> look_at_others();

// How a stuck report words a wait: "waits for Process-1 to finish", "waits until q is
// not empty", "waits for Pipe". Also used by the deterministic scheduler's report.
std::string what_it_waits(SiteKind kind, const std::string& site);

}  // namespace concur::wait_table
