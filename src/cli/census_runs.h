// The runs behind `concur demo NAME --runs N`: one after another, or spread over worker
// processes, one per core.
//
// A deterministic run's output depends only on its seed, not on the machine's load, so
// its runs may go side by side: the seeds are dealt round-robin to one forked worker per
// core this process may use, each worker sends back every run's check and output (one
// JSON line per run, through a pipe), and the results are taken in seed order, exactly as
// a serial loop would have made them. Runs with real threads stay serial: two at once
// would compete for the cores, and the census would count the load.
//
// Workers die with concur (PR_SET_PDEATHSIG), are killed when the census is stopped
// (Ctrl-C, SIGTERM) and are always reaped. On a terminal, stderr shows the progress (runs
// done of N, the rate, the time left), cleared at the end; nothing on a pipe.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli/demo_options.h"
#include "demos/demo.h"

namespace concur::cli {

// One run of the census: its seed, its exit code, its check and what it printed.
struct CensusRun {
  std::uint64_t seed = 0;
  int code = 0;
  demos::Check check{false, ""};
  std::string output;  // kept only when the check names no outcome (the census then counts outputs)
  std::string errors;
  bool loops_cut = false;  // the run cut a lecture loop to its census size (demo.h)
};

// Runs settings.runs quiet runs with seeds settings.run.seed, +1, ... and returns them in
// seed order, up to and including the first that was stopped (code >= kExitWatchdog).
// `workers`: how many processes to spread them over (1: in this process). When the census
// itself is stopped, the runs finished before the first missing one are returned and
// `stopped` is set.
std::vector<CensusRun> census_runs(const demos::Demo& demo, const DemoSettings& settings, int workers,
                                   std::ostream& err, bool& stopped);

// How many workers a census of `settings` uses: one per core this process may use (at most
// one per run) for deterministic runs; 1 for real ones; CONCUR_CENSUS_WORKERS=N forces N.
// Always 1 in a ThreadSanitizer build, which cannot follow such forks.
int census_workers(const DemoSettings& settings);

}  // namespace concur::cli
