// `--trace FILE`: a run's events (core/trace.h) as a Chrome Trace Event JSON file, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open as one track per thread.
//
// The document is the JSON object form: {"traceEvents": [...], "displayTimeUnit": "ms",
// "otherData": {...}}. Timestamps are microseconds of LECTURE time, so a trace of a --fast
// run reads like the lecture's own timings. Each thread gets a small tid (MainThread 1, the
// others in order of appearance), its name and sort index as metadata; run() from start to
// end, every wait ("wait for semaphore 1"), sleep and hold ("hold fork 1") are complete
// ("X") slices, nested on the thread's track; queue puts/gets, event sets, semaphore
// releases, notifies and failed acquires are thread-scoped instants ("i").
//
// The file is complete or absent: written to a temporary name in the same directory, then
// renamed over `path` (a link's target; a fifo or device is written in place).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/trace.h"

namespace concur::cli {

// Checks, before the demo runs, that `path` can be written, by making (and removing) the
// temporary file the run will write: so every reason it cannot (a missing or read-only
// directory, /proc, a name too long, a read-only file, a directory, a socket) is found now.
// A symbolic link is checked at its target; a fifo or character device needs only to be
// writable. Leaves nothing. Throws UsageError with one line "OPTION: cannot write 'PATH':
// <reason>".
void check_trace_path(const std::string& option, const std::string& path);

// Whether output paths `a` and `b` are the same file (through links), e.g. --trace and
// --record given one path.
bool same_output(const std::string& a, const std::string& b);

// Writes `text` to `path` complete or not at all: to a fresh temporary name in the same
// directory, synced, then renamed over `path`. A symbolic link is written at its target
// (the link stays); a fifo or character device is written in place, never replaced. On
// failure removes the temporary file, leaves `path` as it was, and throws
// std::runtime_error("cannot write 'PATH': <reason>").
void write_file_atomically(const std::string& path, const std::string& text);

// The trace of a run as a JSON document: this process's events, then one process track per
// child in `children` (its pid, its name, its threads); `process_name` names our track
// ("concur demo semaphore"), `pid` is our id. Spans still open at the end (a thread stopped
// mid-wait, a lock never released) close when their thread ended, else at the run's last
// timestamp, with args "unfinished": true. Never throws for odd event sequences: a release
// with no hold to end becomes an instant.
nlohmann::json trace_json(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                          const std::string& process_name, long pid);
inline nlohmann::json trace_json(const std::vector<trace::Event>& events, const std::string& process_name, long pid) {
  return trace_json(events, {}, process_name, pid);
}

// Writes trace_json(...) to `path` atomically, one trace event per line. On failure
// removes its temporary file, leaves `path` as it was, and throws std::runtime_error
// ("cannot write 'PATH': <reason>").
void write_trace(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                 const std::string& path, const std::string& process_name, long pid);

}  // namespace concur::cli
