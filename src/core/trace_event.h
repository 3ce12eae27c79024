// One event of a run's record, as the tracer (trace.h) keeps it and the views read it: who
// did what to which site, when on the lecture clock. Types only.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "core/seam.h"

namespace concur::trace {

enum class Kind {
  kStart,    // the thread began run()
  kEnd,      // run() returned
  kWait,     // parked on `object` (a wait that may last)
  kWoken,    // left the wait: ok = got it; `woke` says why it ended
  kSleep,    // began a sleep of `value` lecture seconds
  kAwake,    // the sleep ended
  kHold,     // acquired a Lock/RLock (a hold begins)
  kRelease,  // released it (the hold ends)
  kInstant,  // anything else: `action` says what (put, get, set, notify, ...)
};

// Why a wait ended (kWoken): what it waited for came, its timeout passed, the run was stopped
// (Ctrl-C, SIGTERM, the watchdog, --step's q), or the run unwound the thread after a
// deadlock or stuck report found it could never get what it waited for.
enum class Woke : unsigned char { kGot, kTimeout, kStopped, kUnwound };

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
  Woke woke = Woke::kGot;  // kWoken: why the wait ended (kGot when ok)
  // Told only to the listener (--live), never kept in the record: after a thread Queue's put
  // or get, its next items as Python's repr ("0, 1, 2", cut after a few); after a process
  // Queue's put or get or a Pipe's send or recv, the item that went in or came out ("'hello'").
  std::string next_items;
  std::string item;
  std::uint64_t id = 0;  // which shared object `item` moved through (one label may name several)
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

}  // namespace concur::trace
