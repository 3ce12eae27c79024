// The records of a run's child processes, and how they reach the parent: a private
// channel of the tracer (trace.h).
//
// `start_children` gives the run a directory and names it in the environment every child
// inherits (fork, spawn, the forkserver's children); each child records its own run with the
// tracer (`begin_child` / `end_child`, called by the process layer) and writes it into a
// file there, complete or not at all (a line a event, tab-separated, with the child's clock
// origin so that its times can be put on the parent's clock; why each wait ended too). With
// `live`, each child also appends each event, as it is recorded, to a second file there
// (its tracer's listener does: one write(2) a line), which the parent's --live panel reads as
// the run goes (`live_news`): how it shows spawned and forkserver children, which have no
// share in the run's wait table, and the items children put into process Queues and Pipes. `children()` reads them back
// and removes the directory.
#pragma once

#include <string>
#include <vector>

#include "core/trace_event.h"

namespace concur::trace {

// In the parent, after trace::start(): children started from now on record theirs.
// `live` (--live): each child also writes every event as it happens, for live_news().
void start_children(bool narrate, bool live = false);
// In the parent, with start_children(..., live): what its children recorded since the last
// call, one ProcessTrace per child that wrote anything new (its events in its order, times on
// the parent's clock, Event::item and Event::id kept). Empty once children() has run. One
// caller at a time (the live panel's drawing thread).
std::vector<ProcessTrace> live_news();
// In the parent, after trace::stop() and once the children have ended: their records, on
// the parent's lecture clock, in order of their first event; the directory is removed.
// Empty when start_children was not called (or made no directory).
std::vector<ProcessTrace> children();

// In a child process, before its body runs: when the parent's run records children, starts
// this process's own record. `process_name` is the child's name ("Process-1").
void begin_child(const std::string& process_name);
// In the child, after its body: writes its record where the parent will find it (complete
// or not at all). No-op when `begin_child` started nothing.
void end_child();

}  // namespace concur::trace
