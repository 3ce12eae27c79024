// threadinfo: what a thread can learn about itself and about the others: its name, its
// id, and which threads are alive right now.
//
// 003 "Getting Main and Current Thread" (`current`): two threads run task(), each printing
// current_thread().name twice, between main_thread()'s "started" and "finished" lines.
// 003 "Monitoring Currently Active Threads" (`active`): five threads, active_count() after
// each start, then, after the joins, the count and the enumerate() list once more.
// 003 "Getting Thread Id" (`ident`, in threadinfo__ident.cpp): five threads print their id,
// sleep 1 s, print it again.
// 004 "Starting a thread in Python" (`start`, in threadinfo__start.cpp): four threads sleep
// randint(1, 4) s; after each start main prints enumerate() as Python shows it:
// [<_MainThread(MainThread, started 6040)>, <Thread(Thread-1, started 3932)>].
//
// Ids: the lecture ran on Windows, where get_ident() is the OS thread id, so every id
// printed here is the thread's OS id (native_id, from gettid). The check: every thread
// of the run has its own name, each thread saw its own name, threads alive at the same
// time have different ids, and active_count() is back to 1 (MainThread) at the end.
#include "demos/threadinfo.h"

#include <fmt/ranges.h>

#include <mutex>
#include <set>

namespace concur::demos {

namespace {

// 003: task() prints the current thread's name twice.
void task_current(Sightings& sightings) {
  double began = time::perf_counter();
  for (int i = 0; i < 2; ++i) print("Current Thread: {} is running.", current_thread_name());
  sightings.note_me(began, current_thread_state().native_id);
}

}  // namespace

Check run_threadinfo_current(const Context&) {
  Sightings sightings;
  // Main thread's name, then two threads on task(), joined
  print("Main thread : {} started.", runtime().main_thread().name);
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 2; ++i)
    threads.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [&] { task_current(sightings); }, .target_name = "task"}));
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  print("Main thread : {} finished.", runtime().main_thread().name);
  return check_threads(sightings, threads, "current_thread().name was each thread's own name");
}

namespace {

// 003: task() says it is running.
void task_active(Sightings& sightings) {
  double began = time::perf_counter();
  print("Current Thread : {} is running.", current_thread_name());
  sightings.note_me(began, current_thread_state().native_id);
}

}  // namespace

Check run_threadinfo_active(const Context&) {
  Sightings sightings;
  // Start five threads, counting the live ones after each start
  print("Main thread : {} started.", runtime().main_thread().name);
  std::vector<std::unique_ptr<Thread>> threads_list;
  std::vector<int> counts;
  for (int i = 0; i < 5; ++i) {
    threads_list.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [&] { task_active(sightings); }, .target_name = "task"}));
    threads_list.back()->start();
    counts.push_back(active_count());
    print("\nActive Thread Count: {}", counts.back());
  }

  // Join them all, then count and list again
  for (auto& thread : threads_list) thread->join();
  print("Main thread : {} finished.", runtime().main_thread().name);
  print("Active Thread Count: {}", active_count());
  for (const std::string& active : enumerate()) print("Active Thread List: {}", active);
  return check_threads(sightings, threads_list,
                       fmt::format("active_count() after each start: {} (main included; a thread already finished "
                                   "is not counted)",
                                   fmt::join(counts, ", ")));
}

// The checks (threadinfo.h).

void Sightings::note_me(double began, long first_id) {
  std::lock_guard hold(mutex);
  seen.push_back({current_thread_name(), get_ident(), first_id, current_thread_state().native_id, began,
                  time::perf_counter()});
}

Check check_threads(Sightings& sightings, const std::vector<std::unique_ptr<Thread>>& threads,
                    const std::string& lesson) {
  // Names: MainThread and every thread's name, each once; each thread saw its own name
  // in current_thread() and kept its id from start to end.
  std::set<std::string> names = {"MainThread"}, thread_names, seen_names;
  for (const auto& t : threads) {
    if (!names.insert(t->name()).second) return {false, "two threads are both named " + t->name()};
    thread_names.insert(t->name());
  }
  std::lock_guard hold(sightings.mutex);
  const std::vector<Seen>& seen = sightings.seen;
  for (const Seen& s : seen) {
    if (!seen_names.insert(s.name).second) return {false, "two threads both saw the name " + s.name};
    if (s.native_id != s.native_id_at_end) return {false, s.name + "'s id changed while it ran"};
  }
  if (seen_names != thread_names) return {false, "current_thread() names differ from the threads' names"};
  // Ids: two threads alive at the same moment never share one (a finished thread's may be reused).
  int pairs = 0;
  for (std::size_t i = 0; i < seen.size(); ++i)
    for (std::size_t j = i + 1; j < seen.size(); ++j) {
      const Seen &a = seen[i], &b = seen[j];
      if (a.name == b.name || a.end < b.begin || b.end < a.begin) continue;
      ++pairs;
      if (a.native_id == b.native_id || a.ident == b.ident)
        return {false, fmt::format("{} and {} ran together with the same id {}", a.name, b.name, a.native_id)};
    }
  // Everyone joined: only MainThread is left.
  std::vector<std::string> left = enumerate();
  if (active_count() != 1 || left != std::vector<std::string>{"MainThread"})
    return {false, fmt::format("active_count() is {} at the end, not 1", active_count())};
  std::string ids = pairs ? fmt::format(", the {} pairs of threads alive together had distinct ids", pairs) : "";
  return {true, fmt::format("{}; {} names unique{}, active_count() back to 1", lesson, names.size(), ids)};
}

}  // namespace concur::demos
