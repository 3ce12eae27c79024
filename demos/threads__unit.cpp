// threads, part 003 (unit "Multi-threading and multi-processing in Python"): "Create and
// Start a Thread" without join (no-join) and "join() Method – The Saviour" (join);
// "Example 1: Creating a Thread with a Target Function" (target), "Example 2: Subclassing
// the Thread Class" (custom) and "Joining Threads (join() Method)" (join-worker). Its
// "Example: Multi-threaded I/O-bound Task" (io-bound) is in threads__io.cpp.
#include <algorithm>

#include "demos/threads.h"

namespace concur::demos {

namespace {

// num_gen(num): the thread counts; print("Thread: ", n) puts two spaces before n.
void num_gen(int num) {
  for (int n = 0; n < num; ++n) say(fmt::format("Thread:  {}", n));
}

// What main says around the thread, in no-join and join alike.
const std::vector<std::string> kStatements = {"Statement: Creating and Starting a Thread.",
                                              "Statement: Thread Execution Finished."};

// print_numbers(): the target function of Example 1.
void print_numbers() {
  for (int i = 0; i < 5; ++i) say(fmt::format("Number: {}", i));
}

// CustomThread: Example 2 overrides run() instead of passing a target.
class CustomThread : public Thread {
  void run() override {
    for (int i = 0; i < 5; ++i) say(fmt::format("Custom Thread: {}", i));
  }
};

// worker(): what main waits for in join().
void worker() {
  say("Worker thread started");
  for (int i = 0; i < 3; ++i) say("Working...");
  say("Worker thread finished");
}

Check check_no_join(const Transcript& transcript);

}  // namespace

Check run_threads_no_join(const Context&) {
  Transcript transcript;
  // Main: announce, start the thread, and announce the end without waiting for it.
  say(kStatements[0]);
  Thread thread({.target = [] { num_gen(3); }, .target_name = "num_gen"});
  thread.start();
  say(kStatements[1]);

  // What the interpreter does at exit (threading._shutdown): wait for non-daemon threads.
  thread.join();
  return check_no_join(transcript);
}

Check run_threads_join(const Context&) {
  Transcript transcript;
  // Main: announce, start the thread, wait for it in join(), then announce the end.
  say(kStatements[0]);
  Thread thread({.target = [] { num_gen(3); }, .target_name = "num_gen"});
  thread.start();
  thread.join();
  say(kStatements[1]);

  // Check: join() put main's last line after all of the thread's.
  return check_threads(transcript, {{"MainThread", kStatements}, {"Thread-1 (num_gen)", numbered("Thread:  ", 3)}},
                       true, "join() held main back until the thread's 3 lines were out");
}

Check run_threads_target(const Context&) {
  Transcript transcript;
  // Create a thread with a target, start it, wait for it to finish.
  Thread thread({.target = print_numbers, .target_name = "print_numbers"});
  thread.start();
  thread.join();

  // Check: the target ran in Thread-1 (print_numbers).
  return check_threads(transcript, {{"Thread-1 (print_numbers)", numbered("Number: ", 5)}}, false,
                       "the target function ran in its own thread");
}

Check run_threads_custom(const Context&) {
  Transcript transcript;
  // Create and start the subclass's thread, then join it.
  CustomThread thread;
  thread.start();
  thread.join();

  // Check: run() ran in the new thread, still named Thread-1 as Python names subclasses.
  return check_threads(transcript, {{"Thread-1", numbered("Custom Thread: ", 5)}}, false,
                       "the overridden run() ran in the new thread");
}

Check run_threads_join_worker(const Context&) {
  Transcript transcript;
  // Start the worker, wait for it to complete, then continue.
  Thread thread({.target = worker, .target_name = "worker"});
  thread.start();
  thread.join();
  say("Main thread continues");

  // Check: main continued only after the worker finished.
  return check_threads(transcript,
                       {{"Thread-1 (worker)",
                         {"Worker thread started", "Working...", "Working...", "Working...", "Worker thread finished"}},
                        {"MainThread", {"Main thread continues"}}},
                       true, "main waited in join() until the worker finished");
}

namespace {

// Where main's last line fell among the thread's lines, on this run.
Check check_no_join(const Transcript& transcript) {
  std::vector<Said> all = transcript.lines();
  auto last =
      std::find_if(all.begin(), all.end(), [](const Said& s) { return s.line.starts_with("Statement: Thread"); });
  long after = std::count_if(last, all.end(), [](const Said& s) { return s.thread != "MainThread"; });
  return check_threads(
      transcript, {{"MainThread", kStatements}, {"Thread-1 (num_gen)", numbered("Thread:  ", 3)}}, false,
      fmt::format("without join() main's last line came before {} of the thread's 3 lines (any number may)", after));
}

}  // namespace

}  // namespace concur::demos
