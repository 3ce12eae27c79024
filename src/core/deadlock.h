// Deadlock detection over the seam's wait-for graph.
//
// A thread parked on a site with an owner waits for that owner; the owner may itself be
// parked on a site with an owner, and so on. When the walk comes back to a thread already
// seen, those threads wait on each other in a cycle and none of them can ever run again
// (no timeout is involved: only waits without a deadline are followed).
//
// The real scheduler calls `find_cycle` from a thread's wait each time a slice passes, and
// `report` once the same cycle is seen on two slices in a row. The report is printed to
// the demo's output (the deadlock is the lesson), the threads of the cycle are unwound with
// ThreadExit, and the demo learns of it through `reported()`.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/seam.h"

namespace concur::deadlock {

// One link of a cycle: `thread` waits for `site`, held by `holder`.
struct Link {
  ThreadState* thread;
  WaitSite* site;
  ThreadState* holder;
};

// The cycle reachable from `start` through waits without a deadline, or empty.
// Reads only atomics: safe to call with any primitive's mutex held.
std::vector<Link> find_cycle(ThreadState& start);

// Formats a cycle the way the demos print it, one line a link:
// "1st holds fork 1, waits for fork 2 held by 2nd".
std::vector<std::string> describe(const std::vector<Link>& cycle);

// Reports `cycle` and stops its threads, unless they all are stopped already (the same
// cycle found by another of its threads). Later, different cycles are reported too.
void report(const std::vector<Link>& cycle);

// For a scheduler that knows no thread can ever run again (deterministic.h) but finds no
// cycle: reports every thread in `waiting` and what it waits for, and stops the ones at the
// ends of the chains (those not joining another thread), so that they unwind and the
// joins behind them return. Returns false if it stopped nobody.
bool report_stuck(const std::vector<ThreadState*>& waiting);

// Prints and records a report of a run stuck across processes that the caller has worded
// (deterministic.h; it stops the threads itself).
void report_stuck_lines(const std::vector<std::string>& lines);

// Whether this run reported a deadlock, and the report's lines.
bool reported();
std::vector<std::string> report_lines();

// Forgets the previous run's report (called by begin_run, run.h).
void reset();

// The lock behind reports; only for Runtime::ForkGuard (begin_run registers it).
std::mutex& fork_mutex();

}  // namespace concur::deadlock
