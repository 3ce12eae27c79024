// The parts of the `gil` demo: demos/gil.cpp chooses the versions, prints their times and
// speed-ups and makes the check; the parts below run the countdowns.
#pragma once

#include <functional>
#include <vector>

#include "demos/demo.h"

namespace concur::demos::gil {

// What one version of the countdown did: how long it took, in seconds on cpu::clock() (real
// seconds; the cost model's on the virtual clock of a deterministic run), and where each
// of its counters ended (0 when the loop ran to the end; -1 when a child reported nothing).
struct CountdownRun {
  double seconds = 0;
  std::vector<long long> finals;
  long long handovers = 0;  // simulated GIL only: how often the lock changed hands
};

// gil__versions.cpp: 003 "Impact on multi-threaded Python programs" (Code 1 and Code 2)
// and "How to deal with Python's GIL" (multiprocessing).
long long countdown(long long n);
void count_down(volatile long long& n, long long steps);
CountdownRun sequential(long long count);
CountdownRun two_threads(long long count);
CountdownRun two_processes(long long count);

// The fastest of three runs of `run`, as timeit's repeat is read (gil__versions.cpp).
CountdownRun best_of_three(const std::function<CountdownRun()>& run);

// gil__simulated.cpp: Code 2's two threads under the demo's own interpreter lock, handed
// over every `switch_interval` steps.
CountdownRun simulated_gil(long long count, long long switch_interval);

}  // namespace concur::demos::gil
