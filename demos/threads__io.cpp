// threads, part 003 (unit "Multi-threaded I/O-bound Task", io-bound): five threads each wait
// 2 s for simulated I/O; started together, their waits overlap, so the whole takes about 2 s,
// not 10.
#include <algorithm>

#include "demos/threads.h"

namespace concur::demos {

namespace {

// fetch_data(task_id): an I/O wait of 2 s, simulated by a sleep.
void fetch_data(int task_id) {
  say(fmt::format("Task {} started", task_id));
  time::sleep(2);
  say(fmt::format("Task {} finished", task_id));
}

Check check_io_bound(const Transcript& transcript, double total);

}  // namespace

Check run_threads_io_bound(const Context&) {
  Transcript transcript;
  // Five threads, one per task; start them all, then join them all, timing the whole.
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 5; ++i)
    threads.push_back(
        std::make_unique<Thread>(ThreadArgs{.target = [i] { fetch_data(i); }, .target_name = "fetch_data"}));
  double start = time::perf_counter();
  for (auto& t : threads) t->start();
  for (auto& t : threads) t->join();
  double total = time::perf_counter() - start;
  say(fmt::format("Total time: {:.2f} seconds", total));
  return check_io_bound(transcript, total);
}

namespace {

// Each task waited its 2 s, but the waits overlapped, so the whole took less than they add up to.
Check check_io_bound(const Transcript& transcript, double total) {
  std::vector<Expect> expected;
  double waits = 0;
  for (int i = 0; i < 5; ++i) {
    std::string name = fmt::format("Thread-{} (fetch_data)", i + 1);
    expected.push_back({name, {fmt::format("Task {} started", i), fmt::format("Task {} finished", i)}});
    std::vector<Said> mine = transcript.said_by(name);
    if (mine.size() != 2 || mine[1].at - mine[0].at < 2 - 1e-3)
      return {false, fmt::format("task {} did not wait 2 s", i)};
    waits += mine[1].at - mine[0].at;
  }
  expected.push_back({"MainThread", {"Total time: "}, true});
  // The waits overlapped: at some moment more than one task was waiting. Tasks run one after
  // another never have two waiting at once, however fast; tasks that overlapped do, however
  // late a loaded machine started or woke each thread, which only stretches the total.
  int waiting = 0, most_waiting = 0;
  for (const Said& s : transcript.lines()) {
    if (s.line.ends_with("started")) most_waiting = std::max(most_waiting, ++waiting);
    if (s.line.ends_with("finished")) --waiting;
  }
  if (most_waiting < 2)
    return {false, fmt::format("the tasks took {:.2f} s, one after another: never two waiting at once", total)};
  return check_threads(transcript, expected, true,
                       fmt::format("five 2 s tasks took {:.2f} s in all, their waits {:.2f} s together: up to {} of 5 "
                                   "waited at once",
                                   total, waits, most_waiting));
}

}  // namespace

}  // namespace concur::demos
