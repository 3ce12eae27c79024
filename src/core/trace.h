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
// Off by default: then `record` costs one relaxed atomic load. A run turns it on with
// `start()` (RunOptions::trace), and the CLI takes the events with `events()` after the
// demo. With `narrate`, each event is also told as one plain sentence on the run's output,
// right after the line the event's own thread printed ("Thread-1 waits for semaphore 1").
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "seam.h"

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
};

// Whether this run records (fast; the core checks it before building an event).
inline std::atomic<bool> recording{false};
inline bool on() { return recording.load(std::memory_order_relaxed); }

// Starts a fresh record for a run (`narrate`: also tell each event on the output).
void start(bool narrate);
// Stops recording and returns the run's events in the order they happened.
std::vector<Event> stop();

// Records an event of the calling thread (no-op when off).
// `object` names the site when its label does not ("queue 1" for its "not empty" site).
void record(Kind kind, const WaitSite* site = nullptr, std::string action = {}, double value = 0, bool ok = true,
            std::string object = {});

// A site's label with its holder, for a failed acquire: "fork 4 (held by 4th)".
std::string held_by(const WaitSite& site);

// The plain-language sentence --narrate prints for an event, or "" for none.
std::string narration(const Event& e);

}  // namespace concur::trace
