// The `pool` demo's CPU-bound example: counting down on a pool of threads.
//
// 004 "When to use ProcessPoolExecutor and ThreadPoolExecutor?", the ThreadPoolExecutor
// script (`counting`): counting(n) counts n down to zero and returns how long it took;
// map() runs it for 8000000 and 7000000 on a default-sized pool, and main prints each
// time, then the total. In the lecture's Python the two counts take turns on the GIL, so
// the total is about the sum of the two; C++ has no GIL, so on two free cores the counts
// run side by side and the total is about the longer one.
//
// The times are real seconds, not lecture seconds: counting is work, not waiting, and
// --time-scale cannot speed it up. The count is a volatile variable, so every one of the
// n decrements really happens (an optimising compiler would otherwise skip the loop).
#include <chrono>
#include <vector>

#include "concur.h"
#include "pool.h"

namespace concur::demos {
namespace {

// Real seconds on a monotonic clock (the lecture's time.time(), for work rather than sleep).
double real_time() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double counting(long long n) {
  double start = real_time();
  volatile long long left = n;
  while (left > 0) left = left - 1;
  return real_time() - start;
}

}  // namespace

Check run_pool_counting() {
  std::vector<long long> value = {8000000, 7000000};
  std::vector<double> times;
  int workers = 0;
  double start = real_time();
  {
    // with concurrent.futures.ThreadPoolExecutor() as executor:
    ThreadPoolExecutor executor;
    std::size_t i = 0;
    for (double time_taken : executor.map(counting, value)) {
      print("Start: {} Time taken: {}", value[i++], time_taken);
      times.push_back(time_taken);
    }
    workers = executor.worker_count();
  }
  double total = real_time() - start;
  print("Total time taken: {}", total);

  // Check: one time per count, in input order; say whether the counts overlapped
  double sum = 0, longest = 0;
  for (double t : times) {
    sum += t;
    longest = std::max(longest, t);
  }
  const char* how = total < 0.9 * sum ? "ran side by side (C++ has no GIL)"
                    : workers == 1    ? "ran one after the other: the first ended before the second was queued"
                                      : "took turns this time (busy cores)";
  return {times.size() == value.size() && longest > 0 && total >= longest,
          fmt::format("map returned {}/2 times in input order; {:.4f} s of counting took {:.4f} s in all on {} "
                      "worker thread(s): the counts {}",
                      times.size(), sum, total, workers, how)};
}

}  // namespace concur::demos
