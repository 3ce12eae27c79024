// Event, part `worker-main`: main is the setter.
//
// 003 "3. Events", "Threading Example: Using Event": worker() prints "Waiting for event to
// be set..." and blocks in event.wait(); main starts it, prints "Main thread setting the
// event...", sets the event at once and joins the worker, which prints "Event received!
// Proceeding with work." Nobody sleeps: whether the worker's first line or main's comes
// first is the scheduler's choice, but "Event received!" can only come after main's line,
// because main prints it before set() and the worker prints its own after wait() returns.
//
// The check reads the transcript (support.h): each line was said by the thread that does
// the thing (the worker waits and receives, MainThread sets), the worker's wait() returned
// True only after main had called set(), and "Event received!" came after main's line.
#include <atomic>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/support.h"

namespace concur::demos {
namespace {

// What main did and the worker saw, for the check: bookkeeping, not in the lecture.
struct Seen {
  std::atomic<bool> set_called{false};  // raised by main just before event.set()
  bool wait_result = false;
  bool set_before_wake = false;
};

Check check_worker_main(const Transcript& transcript, const Thread& thread, const Seen& seen);

void worker(Event& event, Seen& seen) {
  say("Waiting for event to be set...");
  seen.wait_result = event.wait();  // Block until the event is set
  seen.set_before_wake = seen.set_called.load();
  say("Event received! Proceeding with work.");
}

}  // namespace

Check run_event_worker_main(const Context&) {
  Transcript transcript;
  Event event("event");
  Seen seen;

  // The worker waits for the event
  Thread thread({.target = [&] { worker(event, seen); }, .target_name = "worker"});
  thread.start();

  // Main sets it: Signal the waiting thread
  say("Main thread setting the event...");
  seen.set_called = true;
  event.set();
  thread.join();
  return check_worker_main(transcript, thread, seen);
}

namespace {

// Who said what, in which order, and that wait() let the worker go only after the set.
Check check_worker_main(const Transcript& transcript, const Thread& thread, const Seen& seen) {
  std::vector<Said> worker_said = transcript.said_by(thread.name());
  std::vector<Said> main_said = transcript.said_by("MainThread");
  bool worker_lines = worker_said.size() == 2 && worker_said[0].line == "Waiting for event to be set..." &&
                      worker_said[1].line == "Event received! Proceeding with work.";
  bool main_line = main_said.size() == 1 && main_said[0].line == "Main thread setting the event...";
  if (!worker_lines || !main_line)
    return {false, fmt::format("the worker said {} line(s) and main {}, not the lecture's 2 and 1", worker_said.size(),
                               main_said.size())};
  if (!seen.wait_result) return {false, "event.wait() returned False"};
  if (!seen.set_before_wake) return {false, "the worker went past wait() before main called set()"};
  int setting = -1, received = -1, at = 0;
  for (const Said& s : transcript.lines()) {
    if (s.line == main_said[0].line) setting = at;
    if (s.line == worker_said[1].line) received = at;
    ++at;
  }
  if (received < setting) return {false, "\"Event received!\" came before main's \"setting the event\" line"};
  std::string first = transcript.lines().front().thread == "MainThread" ? "MainThread" : thread.name();
  return {true, fmt::format("{} spoke first (the scheduler's choice); {} went past wait() only after MainThread "
                            "called set(), and said \"Event received!\" after main's line",
                            first, thread.name()),
          {{"first line by", first}}};
}

}  // namespace

}  // namespace concur::demos
