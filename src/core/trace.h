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
// Child processes (the process demos) record too, each its own run, with this same
// recorder; how their records reach the parent is trace_children.h's. The sentences of
// --narrate are narration.h's; the event types, trace_event.h's.
//
// A listener (set_listener) is told each event of this process as it is recorded, as
// --narrate is: --live's panel is drawn from it. It is asked only while recording, so with
// recording off it costs nothing more than the one relaxed load.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/seam.h"
#include "core/trace_event.h"

namespace concur::trace {

// Whether this run records (fast; the core checks it before building an event).
inline std::atomic<bool> recording{false};
inline bool on() { return recording.load(std::memory_order_relaxed); }

// Starts a fresh record for a run (`narrate`: also tell each event on the output).
void start(bool narrate);
// Stops recording and returns the run's events (this process's) in the order they happened.
std::vector<Event> stop();
// In a child process whose parent records its children (trace_children.h): drops the
// record inherited at fork (not destroyed: its locks may be held by threads that do not
// exist here) and starts this process's own, its sentences naming `process_name`.
void restart_in_child(bool narrate, const std::string& process_name);

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

// Whether a listener is set: what only it is told (Event::next_items, Event::item) is worth
// building then, and not otherwise.
bool listening();

// What an instant tells the listener alone (trace_event.h): a thread Queue's next items, or
// the item that moved through a process Queue or a Pipe and which one (`id`).
struct Told {
  std::string next_items;
  std::string item;
  std::uint64_t id = 0;
};
void record_told(SiteKind site, std::string_view object, std::string_view action, double value, Told told);

// An instant on a thread Queue after a put or get (`size`: its size now): `next_items()`,
// called only while a listener listens, gives its next items for the listener.
template <typename NextItems>
void record_queue(std::string_view object, std::string_view action, double size, NextItems&& next_items) {
  if (!on()) return;
  record_told(SiteKind::kQueue, object, action, size, listening() ? Told{.next_items = next_items()} : Told{});
}

// An instant that moves one item through a shared object of the process layer (a process
// Queue's put or get, a Pipe's send or recv): `item()`, called only while a listener
// listens, gives the Told (the item's repr, the object's identity) for the listener.
template <typename Item>
void record_item(SiteKind site, std::string_view object, std::string_view action, double value, Item&& item) {
  if (!on()) return;
  record_told(site, object, action, value, listening() ? item() : Told{});
}

// The identity of what descriptor `fd` is an end of, for Told::id: a pipe's inode (both its
// ends share it), or a socket's with the top bit set (a socketpair's two ends differ).
std::uint64_t identity_of(int fd);

// Records the end of the calling thread's wait on `site` (kWoken; no-op when off): `why`
// says whether it got what it waited for, its timeout passed, or the run stopped or unwound it.
void record_woken(const WaitSite& site, Woke why);

// Who is told each event as it is recorded: called on the recording thread, with the event's
// time on the lecture clock, right after it is kept (and before --narrate tells it). It may
// be called inside a wait, with a primitive's lock held: it must not wait, print, or use a
// primitive; it may take a lock of its own that it holds only briefly. One listener at a
// time; nullptr removes it. A child process never inherits it (restart_in_child drops it).
using Listener = void (*)(const Event&);
void set_listener(Listener listener);

// Held across fork() by the process layer, so that a child never inherits the record's
// registry locked by a thread that does not exist there.
std::unique_lock<std::mutex> fork_guard();

}  // namespace concur::trace
