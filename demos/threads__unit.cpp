// threads, part 003 (unit "Multi-threading and multi-processing in Python"): "Create and
// Start a Thread" without join (no-join) and "join() Method – The Saviour" (join);
// "Example 1: Creating a Thread with a Target Function" (target), "Example 2: Subclassing
// the Thread Class" (custom), "Joining Threads (join() Method)" (join-worker) and
// "Example: Multi-threaded I/O-bound Task" (io-bound).
#include <algorithm>

#include "demos/threads.h"

namespace concur::demos::threads {

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

// fetch_data(task_id): an I/O wait of 2 s, simulated by a sleep.
void fetch_data(int task_id) {
  say(fmt::format("Task {} started", task_id));
  time::sleep(2);
  say(fmt::format("Task {} finished", task_id));
}

}  // namespace

Check no_join_variant() {
  // Main: announce, start the thread, and announce the end without waiting for it.
  say(kStatements[0]);
  Thread thread({.target = [] { num_gen(3); }, .target_name = "num_gen"});
  thread.start();
  say(kStatements[1]);

  // What the interpreter does at exit (threading._shutdown): wait for non-daemon threads.
  thread.join();

  // Check: where main's last line fell among the thread's lines, on this run.
  std::vector<Said> all = transcript();
  auto last =
      std::find_if(all.begin(), all.end(), [](const Said& s) { return s.line.starts_with("Statement: Thread"); });
  long after = std::count_if(last, all.end(), [](const Said& s) { return s.thread != "MainThread"; });
  return check_threads(
      {{"MainThread", kStatements}, {"Thread-1 (num_gen)", numbered("Thread:  ", 3)}}, false,
      fmt::format("without join() main's last line came before {} of the thread's 3 lines (any number may)", after));
}

Check join_variant() {
  // Main: announce, start the thread, wait for it in join(), then announce the end.
  say(kStatements[0]);
  Thread thread({.target = [] { num_gen(3); }, .target_name = "num_gen"});
  thread.start();
  thread.join();
  say(kStatements[1]);

  // Check: join() put main's last line after all of the thread's.
  return check_threads({{"MainThread", kStatements}, {"Thread-1 (num_gen)", numbered("Thread:  ", 3)}}, true,
                       "join() held main back until the thread's 3 lines were out");
}

Check target_variant() {
  // Create a thread with a target, start it, wait for it to finish.
  Thread thread({.target = print_numbers, .target_name = "print_numbers"});
  thread.start();
  thread.join();

  // Check: the target ran in Thread-1 (print_numbers).
  return check_threads({{"Thread-1 (print_numbers)", numbered("Number: ", 5)}}, false,
                       "the target function ran in its own thread");
}

Check custom_variant() {
  // Create and start the subclass's thread, then join it.
  CustomThread thread;
  thread.start();
  thread.join();

  // Check: run() ran in the new thread, still named Thread-1 as Python names subclasses.
  return check_threads({{"Thread-1", numbered("Custom Thread: ", 5)}}, false,
                       "the overridden run() ran in the new thread");
}

Check join_worker_variant() {
  // Start the worker, wait for it to complete, then continue.
  Thread thread({.target = worker, .target_name = "worker"});
  thread.start();
  thread.join();
  say("Main thread continues");

  // Check: main continued only after the worker finished.
  return check_threads({{"Thread-1 (worker)",
                         {"Worker thread started", "Working...", "Working...", "Working...", "Worker thread finished"}},
                        {"MainThread", {"Main thread continues"}}},
                       true, "main waited in join() until the worker finished");
}

Check io_bound_variant() {
  // Five threads, one per task; start them all, then join them all, timing the whole.
  double start = time::perf_counter();
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 5; ++i)
    threads.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [i] { fetch_data(i); }, .target_name = "fetch_data"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  double total = time::perf_counter() - start;
  say(fmt::format("Total time: {:.2f} seconds", total));

  // Check: each task waited its 2 s, but the waits overlapped, so the whole took less than they add up to.
  std::vector<Expect> expected;
  double waits = 0;
  for (int i = 0; i < 5; ++i) {
    std::string name = fmt::format("Thread-{} (fetch_data)", i + 1);
    expected.push_back({name, {fmt::format("Task {} started", i), fmt::format("Task {} finished", i)}});
    std::vector<Said> mine = said_by(name);
    if (mine.size() != 2 || mine[1].at - mine[0].at < 2 - 1e-3)
      return {false, fmt::format("task {} did not wait 2 s", i)};
    waits += mine[1].at - mine[0].at;
  }
  expected.push_back({"MainThread", {"Total time: "}, true});
  // The waits overlapped: at some moment more than one task was waiting. Tasks run one after
  // another never have two waiting at once, however fast; tasks that overlapped do, however
  // late a loaded machine started or woke each thread, which only stretches the total.
  int waiting = 0, most_waiting = 0;
  for (const Said& s : transcript()) {
    if (s.line.ends_with("started")) most_waiting = std::max(most_waiting, ++waiting);
    if (s.line.ends_with("finished")) --waiting;
  }
  if (most_waiting < 2)
    return {false, fmt::format("the tasks took {:.2f} s, one after another: never two waiting at once", total)};
  return check_threads(expected, true,
                       fmt::format("five 2 s tasks took {:.2f} s in all, their waits {:.2f} s together: up to {} of 5 "
                                   "waited at once",
                                   total, waits, most_waiting));
}

}  // namespace concur::demos::threads
