// event: one thread blocks in Event.wait() until another thread calls set().
//
// 003's waiter and setter (`waiter`): waiter() prints "Waiting for event to be set..." and
// blocks in event.wait(); setter() sleeps 3 s, prints "Setting the event." and sets it; the
// waiter wakes and prints "Event received! Continuing execution." (This program is the
// unit's "3. Event (threading.Event)" example; its "Threading Example: Using Event", the
// same idea with main as the setter, is `worker-main` in event__worker_main.cpp.)
// 003 "Example: Graceful Thread Termination" (`stop`): an Event as a stop flag. worker()
// prints "Thread running..." every second while stop_event is not set; main lets it run
// for 5 s, sets the event and joins the worker, which leaves its loop at the next check.
//
// The check: the waiter got past wait() only after set() had been called (the setter
// raises a flag just before set(); the waiter reads it just after wait() returns); the
// worker printed at most one line after set() had returned, and was joined.
#include <atomic>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What the setter did and the waiter saw, read by main after join(): bookkeeping for the check.
struct Waited {
  std::atomic<bool> set_called{false};  // raised by the setting thread
  bool wait_result = false;
  bool set_before_wake = false;
  double waited = 0;
};

// The worker's rounds, and those that printed after set() had returned, for the check.
struct Rounds {
  std::atomic<int> rounds{0}, after_set{0};
  std::atomic<bool> set_returned{false};
};

Check check_waiter(const Waited& seen);
Check check_stop(const Thread& thread, const Rounds& counted);

void waiter(Event& event, Waited& seen) {
  print("Waiting for event to be set...");
  double began = time::perf_counter();
  seen.wait_result = event.wait();  // blocks until the event is set
  seen.set_before_wake = seen.set_called.load();
  seen.waited = time::perf_counter() - began;
  print("Event received! Continuing execution.");
}

void setter(Event& event, Waited& seen) {
  time::sleep(3);
  print("Setting the event.");
  seen.set_called = true;
  event.set();  // set the event
}

void worker(Event& stop_event, Rounds& counted) {
  while (!stop_event.is_set()) {
    print("Thread running...");
    ++counted.rounds;
    if (counted.set_returned) ++counted.after_set;
    time::sleep(1);
  }
}

}  // namespace

Check run_event_waiter(const Context&) {
  // Two threads share the event: one waits for it, the other sets it
  Event event("event");
  Waited seen;
  Thread thread1({.target = [&] { waiter(event, seen); }, .target_name = "waiter"});
  Thread thread2({.target = [&] { setter(event, seen); }, .target_name = "setter"});
  thread1.start();
  thread2.start();
  thread1.join();
  thread2.join();
  return check_waiter(seen);
}

Check run_event_stop(const Context&) {
  // Create an Event object for stopping, and the worker that checks it
  Event stop_event("stop_event");
  Rounds counted;
  Thread thread({.target = [&] { worker(stop_event, counted); }, .target_name = "worker"});
  thread.start();

  // Let the thread run for 5 seconds, then signal it to stop and wait for it
  time::sleep(5);
  stop_event.set();
  counted.set_returned = true;
  thread.join();
  return check_stop(thread, counted);
}

namespace {

// The waiter blocked until set() was called.
Check check_waiter(const Waited& seen) {
  if (!seen.wait_result) return {false, "event.wait() returned False"};
  if (!seen.set_before_wake) return {false, "the waiter went past wait() before set() was called"};
  return {true, fmt::format("the waiter blocked in wait() for {:.1f} s and went on only after set() was called",
                            seen.waited)};
}

// The worker stopped at its next look at the event, and was joined.
Check check_stop(const Thread& thread, const Rounds& counted) {
  if (thread.is_alive()) return {false, "the worker was still running after join()"};
  if (counted.after_set > 1)
    return {false, fmt::format("the worker printed {} lines after the stop was set", counted.after_set.load())};
  return {true, fmt::format("Thread running... printed {} times; the worker stopped at its next check of the "
                            "event (lines after set(): {}) and was joined",
                            counted.rounds.load(), counted.after_set.load())};
}

}  // namespace

}  // namespace concur::demos
