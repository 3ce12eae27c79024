// The output relay: one thread of the main process copies the stdout and stderr of every
// child it started, whole lines, to the run's output, so that children print like threads do
// (and tests capture them in-process). A child's own children write straight into the
// child's stdout and stderr, the pipes this relay reads (process.cpp).
//
// One thread for all children, not one per child: starting and ending a thread (and the
// malloc arena it gets) cost more than the rest of a fork start. The thread is started by
// the first watch() of a process and lives as long as the process; it waits in epoll_wait,
// so adding a child's pipes is two epoll_ctl calls and never wakes it.
//
// When the child has ended, finish() copies its last lines in the calling thread (no
// hand-over to the relay thread, which may not get a CPU for a while on a busy machine) and
// returns at end of file on both pipes: the child's lines are out before join() returns.
//
// Fork: a forked child has no relay thread and makes none. It leaves the parent's relay
// alone (its locks may have been held by the parent's relay thread at the fork) but for
// closing its copy of the epoll descriptor.
#pragma once

#include <memory>
#include <mutex>

#include "core/fd.h"

namespace concur::process::relay {

struct Lines;  // one child's two pipes and its partial lines

// Makes sure this process's relay thread runs (starting it the first time, and waiting
// until it has started, so that its start-up allocations are over before the next fork()).
// Throws std::system_error when no thread can be made (EAGAIN under a process limit).
void ensure_running();

// Starts relaying a child's stdout and stderr pipes (read ends), which the relay then owns.
// Calls ensure_running(); throws std::system_error if the pipes cannot be watched (then
// they are closed).
std::shared_ptr<Lines> watch(Fd out, Fd err);

// In a deterministic run (deterministic.h): takes a child's pipes as watch() does, but keeps
// them from the relay thread; drain() copies what they hold, in the calling thread, each
// time the child gives the turn back, so that its lines come out in the order of the run.
// finish() ends them as it ends watched ones.
std::shared_ptr<Lines> hold(Fd out, Fd err);
// Copies every whole line the held pipes have now (never waits).
void drain(Lines& lines);

// After the child ended: copies what is left on its pipes, in this thread, until end of
// file on both (a grandchild holding a write end keeps it waiting, as the child would),
// emits any last partial line, and closes them. Blocks outside the seam, as a join of the
// relay would. Once only; `lines` is then spent.
void finish(Lines& lines);

// Held across fork(): the lock under which a relay is being made (a leaf lock, taken last),
// so that a forked child never copies it held.
std::unique_lock<std::mutex> fork_guard();

// In a forked child, before anything else of this layer: closes the child's copy of the
// parent's epoll descriptor and forgets the parent's relay.
void forget_after_fork();

}  // namespace concur::process::relay
