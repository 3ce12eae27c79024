// What happened in a run, event by event: who waited for what, who held which lock, who
// put into which queue, on the lecture clock. The instructor's views (--timeline, --trace,
// --narrate) are drawn from these events; no demo records anything itself.
//
// The core records at the seam and in the primitives: a thread's start and end, each wait
// (from the moment a thread parks on a site to the moment it leaves, with whether it got
// what it waited for), each sleep, each hold of a Lock or RLock (acquired ... released), and
// an instant for every other operation (queue put/get, event set/clear, semaphore
// release, condition notify, a failed non-blocking acquire).
//
// Off by default: then `record` costs one relaxed atomic load. The CLI turns it on with
// `start()` and takes the events with `stop()` after the demo. With `narrate`, each event is
// also told as one plain sentence on the run's output, right after the line the event's own
// thread printed ("Thread-1 waits for semaphore 1").
//
// On, an event costs a clock read and an append to the recording thread's own buffer
// (names and labels are kept once per buffer, not copied per event): no lock shared
// between threads, so tracing does not serialise the threads it watches.
//
// Child processes (the process demos) record too: `start(narrate, /*children=*/true)`
// gives the run a directory; each child process records its own run into a file there
// (`begin_child` / `end_child`, called by the process layer), and `stop()` merges them:
// `children()` then returns one ProcessTrace per child, on the parent's lecture clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/seam.h"

namespace concur {
struct ThreadState;
}

namespace concur::trace {

enum class Kind {
  kStart,    // the thread began run()
  kEnd,      // run() returned
  kWait,     // parked on `object` (a wait that may last)
  kWoken,    // left the wait: ok = got it, else timed out or stopped
  kSleep,    // began a sleep of `value` lecture seconds
  kAwake,    // the sleep ended
  kHold,     // acquired a Lock/RLock (a hold begins)
  kRelease,  // released it (the hold ends)
  kInstant,  // anything else: `action` says what (put, get, set, notify, ...)
};

struct Event {
  double t;  // lecture seconds since the run began
  Kind kind;
  const ThreadState* thread;  // valid until the next run begins
  std::string thread_name;    // the thread's name when the event happened
  SiteKind site = SiteKind::kSleep;
  std::string object;  // the site's label: "fork 1", "semaphore 1"
  std::string action;  // for kInstant: "put", "get", "set", "notify", "failed to acquire", ...
  double value = 0;    // kSleep: seconds; kInstant: a count where one helps (queue size)
  bool ok = true;      // kWoken: got what it waited for
  int thread_no = 0;   // the thread's number in its process's record (1, 2, ... by first event)
  long pid = 0;        // the child process it happened in; 0: this process
  bool task = false;   // an asyncio task's event: thread_name is the task's name ("Task-1")
};

// Which thread of which process an event is from: what tells rows and tracks apart.
// An asyncio task is a row or track of its own, apart from the thread that runs its loop.
struct ThreadKey {
  long pid;
  const ThreadState* thread;
  int thread_no;
  std::string task;
  auto operator<=>(const ThreadKey&) const = default;
};
inline ThreadKey key_of(const Event& e) {
  return {e.pid, e.thread, e.thread ? 0 : e.thread_no, e.task ? e.thread_name : std::string()};
}

// The events of one child process, times on the parent's lecture clock.
struct ProcessTrace {
  long pid = 0;
  std::string name;  // "Process-1"
  std::vector<Event> events;  // Event::thread is nullptr; Event::thread_no tells threads apart
};

// Whether this run records (fast; the core checks it before building an event).
inline std::atomic<bool> recording{false};
inline bool on() { return recording.load(std::memory_order_relaxed); }

// Starts a fresh record for a run (`narrate`: also tell each event on the output;
// `children`: child processes started from now on record theirs, for `children()`).
void start(bool narrate, bool children = false);
// Stops recording and returns the run's events in the order they happened. Also collects
// the child processes' records (see `children()`) and removes their directory.
std::vector<Event> stop();
// The child processes' records collected by the last `stop()`, by pid (taken: a second call
// returns none).
std::vector<ProcessTrace> children();

// Records an event of the calling thread (no-op when off). `action` is kept as given;
// `object` names the site when its label does not ("queue 1" for its "not empty" site).
void record(Kind kind, const WaitSite* site = nullptr, std::string_view action = {}, double value = 0,
            bool ok = true, std::string_view object = {});

// The same for a wait or an instant on something that is not a WaitSite (a child process
// joined: kWait/kWoken on SiteKind::kThread, object "Process-1").
void record_on(Kind kind, SiteKind site, std::string_view object, std::string_view action = {}, double value = 0,
               bool ok = true);

// The same for an asyncio task (named `task`) on the calling thread's loop: its start and
// end (kStart/kEnd), its sleeps (kSleep/kAwake) and its awaits (kWait/kWoken, kFuture).
void record_task(Kind kind, std::string_view task, SiteKind site = SiteKind::kSleep, std::string_view object = {},
                 double value = 0, bool ok = true);

// In a child process, before its body runs: when the parent's run records children, starts
// this process's own record. `process_name` is the child's name ("Process-1").
void begin_child(const std::string& process_name);
// In the child, after its body: writes its record where the parent will find it (complete
// or not at all). No-op when `begin_child` started nothing.
void end_child();
// Held across fork() by the process layer, so that a child never inherits the record's
// registry locked by a thread that does not exist there.
std::unique_lock<std::mutex> fork_guard();

// A site's label with its holder, for a failed acquire: "fork 4 (held by 4th)".
std::string held_by(const WaitSite& site);

// The plain-language sentence --narrate prints for an event, or "" for none.
std::string narration(const Event& e);

}  // namespace concur::trace
