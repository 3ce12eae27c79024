// threadinfo, part 2: 003 "Getting Thread Id" (`ident`). Five threads print their id, sleep
// 1 s and print it again; main starts them all, then joins them all. Every id is the
// thread's OS id (threadinfo.cpp says why), and each thread's is the same at its start and
// at its end.
#include "demos/threadinfo.h"

namespace concur::demos {

namespace {

// 003: task() prints its id, sleeps 1 s, prints it again.
void task_ident(Sightings& sightings) {
  double began = time::perf_counter();
  long id = current_thread_state().native_id;
  print("Thread {} is running.", id);
  time::sleep(1);
  print("Thread {} is terminated.", current_thread_state().native_id);
  sightings.note_me(began, id);
}

}  // namespace

Check run_threadinfo_ident(const Context&) {
  Sightings sightings;
  // Five threads started together, then joined
  print("Main thread started.");
  std::vector<std::unique_ptr<Thread>> threads_list;
  for (int i = 0; i < 5; ++i) {
    threads_list.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [&] { task_ident(sightings); }, .target_name = "task"}));
    threads_list.back()->start();
  }
  for (auto& thread : threads_list) thread->join();
  print("Main thread finished.");
  return check_threads(sightings, threads_list, "each thread had the same id at its start and at its end");
}

}  // namespace concur::demos
