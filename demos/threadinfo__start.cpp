// threadinfo, part 3: 004 "Starting a thread in Python" (`start`).
//
// Four threads run Thread_execution(i): say they started, sleep randint(1, 4) s, say they
// finished. After each start main prints threading.enumerate() the way Python prints a
// list of threads: Active Threads: [<_MainThread(MainThread, started 6040)>, <Thread(
// Thread-1, started 3932)>]. The slide's list also holds IPython's history-saving thread;
// a plain program has none. The slide's names are the old `Thread-N` form, kept here.
// Main never joins in the lecture; Python's exit then waits for its non-daemon threads,
// which is what the joins at the end do.
#include <fmt/ranges.h>

#include "demos/threadinfo.h"

namespace concur::demos {

namespace {

// repr(thread) as CPython writes it, with the thread's OS id.
std::string repr(const ThreadState* t) {
  bool is_main = t == &runtime().main_thread();
  return fmt::format("<{}({}, started{} {})>", is_main ? "_MainThread" : "Thread", t->name,
                     t->daemon ? " daemon" : "", t->native_id);
}

// print("Active Threads:", threading.enumerate()); returns how many were listed.
std::vector<ThreadState*> print_active_threads() {
  std::vector<ThreadState*> active = runtime().live_threads();
  std::vector<std::string> reprs;
  for (const ThreadState* t : active) reprs.push_back(repr(t));
  std::string listing = fmt::format("{}", fmt::join(reprs, ", "));
  print("Active Threads: [{}]", listing);
  return active;
}

// The lecture's Thread_execution(i): started, a random sleep, finished.
void Thread_execution(int i, Sightings& sightings) {
  double began = time::perf_counter();
  long id = current_thread_state().native_id;
  print("Execution of Thread {} started\n", i);
  time::sleep(static_cast<double>(random::randint(1, 4)));
  print("Execution of Thread {} finished", i);
  sightings.note_me(began, id);
}

}  // namespace

Check run_threadinfo_start(const Context&) {
  Sightings sightings;
  // Start four threads, listing the live ones after each start
  std::vector<std::unique_ptr<Thread>> threads;
  std::vector<std::string> sizes;
  for (int i = 0; i < 4; ++i) {
    threads.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [i, &sightings] { Thread_execution(i, sightings); }}));
    threads.back()->start();
    std::vector<ThreadState*> active = print_active_threads();
    if (active.empty() || active.front() != &runtime().main_thread())
      return {false, "enumerate() did not list MainThread first"};
    sizes.push_back(std::to_string(active.size()));
  }

  // The end of the program: Python's exit waits here for its non-daemon threads
  for (auto& thread : threads) thread->join();
  return check_threads(
      sightings, threads,
      fmt::format("enumerate() listed {} threads after the starts, MainThread first", fmt::join(sizes, ", ")));
}

}  // namespace concur::demos
