// threads, part 004 (tutorial "Concurrency in Python"): "Python Program for Various Thread
// States" (states). One thread goes new -> running -> waiting -> dead, and each state is
// named as it happens: new and dead by main, running and waiting by the thread itself.
#include "demos/threads.h"

namespace concur::demos {

namespace {

// thread_states(): the thread names each state it enters, as it enters it.
void thread_states() {
  say("Thread entered in running state");
  say("Thread entered in waiting state: time.sleep(2)");
  double start = time::perf_counter();
  time::sleep(2);
  say(fmt::format("Thread back in running state after {:.2f} s", time::perf_counter() - start));
}

const char* py_bool(bool b) { return b ? "True" : "False"; }

Check check_states(const Transcript& transcript, bool alive_when_new, bool alive_when_dead);

}  // namespace

Check run_threads_states(const Context&) {
  Transcript transcript;
  // New: T1 exists but has not started.
  Thread T1({.target = thread_states, .target_name = "thread_states"});
  bool alive_when_new = T1.is_alive();
  say(fmt::format("T1 is in new state: created, not started (T1.is_alive() = {})", py_bool(alive_when_new)));

  // Running, then waiting: T1 says so itself. Dead: join() returns once run() is over.
  T1.start();
  T1.join();
  bool alive_when_dead = T1.is_alive();
  say(fmt::format("T1 is in dead state: join() returned (T1.is_alive() = {})", py_bool(alive_when_dead)));
  return check_states(transcript, alive_when_new, alive_when_dead);
}

namespace {

// New → running → waiting → dead, each named as it happened, by the thread concerned.
Check check_states(const Transcript& transcript, bool alive_when_new, bool alive_when_dead) {
  if (alive_when_new || alive_when_dead) return {false, "T1.is_alive() was True when new or dead"};
  std::vector<Said> t1 = transcript.said_by("Thread-1 (thread_states)");
  if (t1.size() == 3 && t1[2].at - t1[1].at < 2 - 1e-3) return {false, "T1 left the waiting state before its 2 s"};
  std::vector<Said> all = transcript.lines();
  if (all.empty() || !all.front().line.starts_with("T1 is in new state"))
    return {false, "the new state was not named first"};
  return check_threads(transcript,
                       {{"MainThread",
                         {"T1 is in new state: created, not started (T1.is_alive() = False)",
                          "T1 is in dead state: join() returned (T1.is_alive() = False)"}},
                        {"Thread-1 (thread_states)",
                         {"Thread entered in running state", "Thread entered in waiting state: time.sleep(2)",
                          "Thread back in running state after "},
                         true}},
                       true, "T1 went new → running → waiting (2 s) → dead, each named as it happened");
}

}  // namespace

}  // namespace concur::demos
