// The `pool` demo's CPU-bound example: counting down on a pool of threads or processes.
//
// 004 "When to use ProcessPoolExecutor and ThreadPoolExecutor?" (`counting`): counting(n)
// counts n down to zero and returns how long it took; map() runs it for 8000000 and
// 7000000 on a default-sized pool, and main prints each time, then the total. The lecture
// runs the script twice: with ProcessPoolExecutor (--executor process) the two counts run
// in two processes at once, so the total is about the longer count; with
// ThreadPoolExecutor (--executor thread) Python's two counts take turns on the GIL and the
// total is about their sum. C++ has no GIL, so here threads run side by side too, and the
// process pool only adds the cost of starting processes and moving values through pipes.
//
// The times are real seconds, not lecture seconds: counting is work, not waiting, and
// --time-scale cannot speed it up. The count is a volatile variable, so every one of the
// n decrements really happens (an optimising compiler would otherwise skip the loop). In
// a deterministic run every decrement costs the cost model's 0.3 ns on the virtual clock
// (cpu_cost.h), the two workers' side by side, on threads or processes.
#include <vector>

#include "core/concur.h"
#include "demos/pool.h"

namespace concur::demos {
namespace {

// The lecture's counting(n); time.time() is cpu::clock(), the clock work is timed against.
double counting(long long n) {
  double start = cpu::clock();
  volatile long long left = n;
  cpu::work(n, cpu::kDecrementSeconds, [&](long long steps) {
    long long until = left - steps;
    while (left > until) left = left - 1;
  });
  return cpu::clock() - start;
}

Check check_counting(const std::vector<long long>& value, const std::vector<double>& times, double total, int workers,
                     bool processes);

}  // namespace

// The same counting, called by name in a worker process.
process::Value pool::counting(const process::List& args) { return demos::counting(args.at(0).as_int()); }

Check counting_on(bool processes) {
  std::vector<long long> value = {8000000, 7000000};
  std::vector<double> times;
  int workers = 0;
  double start = cpu::clock();
  if (processes) {
    // with concurrent.futures.ProcessPoolExecutor() as executor:
    process::ProcessPoolExecutor executor;
    std::size_t i = 0;
    for (const process::Value& time_taken : executor.map("pool.counting", {value[0], value[1]})) {
      print("Start: {} Time taken: {}", value[i++], time_taken.as_float());
      times.push_back(time_taken.as_float());
    }
    workers = static_cast<int>(executor.processes().size());
  } else {
    // with concurrent.futures.ThreadPoolExecutor() as executor:
    ThreadPoolExecutor executor;
    std::size_t i = 0;
    for (double time_taken : executor.map(counting, value)) {
      print("Start: {} Time taken: {}", value[i++], time_taken);
      times.push_back(time_taken);
    }
    workers = executor.worker_count();
  }
  double total = cpu::clock() - start;
  print("Total time taken: {}", total);
  return check_counting(value, times, total, workers, processes);
}

namespace {

// One time per count, in input order; say whether the counts overlapped.
Check check_counting(const std::vector<long long>& value, const std::vector<double>& times, double total, int workers,
                     bool processes) {
  double sum = 0, longest = 0;
  for (double t : times) {
    sum += t;
    longest = std::max(longest, t);
  }
  const char* kind = processes ? "process(es)" : "thread(s)";
  const char* how = total < 0.9 * sum ? (processes ? "ran side by side, one per process"
                                                   : "ran side by side (C++ has no GIL)")
                    : processes       ? "were outweighed by forking the workers and the pipes' round trips"
                    : workers == 1    ? "ran one after the other: the first ended before the second was queued"
                                      : "took turns this time (busy cores)";
  return {times.size() == value.size() && longest > 0 && total >= longest,
          fmt::format("map returned {}/2 times in input order; {:.4f} s of counting took {:.4f} s in all on {} "
                      "worker {}: the counts {}",
                      times.size(), sum, total, workers, kind, how)};
}

}  // namespace

}  // namespace concur::demos
