// The variant runs behind `concur check`: one after another, or side by side in worker
// processes.
//
// Most of a check's time is waiting: its threads sleep lecture seconds, many of them at a
// slower scale than --fast so that their lesson survives a loaded machine. Two such runs at
// once on different processes cost each other little, so `check` spreads its variants over
// forked workers, two per core (`--jobs N` to choose): each worker takes the next variant
// when it is free, runs it exactly as a serial check would (its own watchdog, seed, time
// scale) and sends its result back through a socket; the results are reported in table order
// as soon as each is the next one, so the table reads as a serial run's.
//
// A worker watches for the stop signals itself (SIGINT, SIGTERM, SIGHUP, SIGQUIT: the whole
// process group gets Ctrl-C) and stops its run as concur's signal thread does; a stop sent
// to concur alone is passed on to the workers. Workers die with concur (PR_SET_PDEATHSIG,
// SIGTERM, so their own runs still unwind and clean up) and are always reaped.
#pragma once

#include <functional>
#include <vector>

#include "cli/check_report.h"
#include "cli/demo_options.h"
#include "demos/demo.h"

namespace concur::cli {

// One variant `check` runs.
struct CheckJob {
  const demos::Demo* demo;
  const demos::Variant* variant;
};

// Runs variant `v` of `d` as check does, with `base` (seed, timeout, quiet, --fast), under
// the deterministic scheduler if `deterministic`. Returns what it came to; a variant that
// cannot run deterministically is skipped, with the reason. Never throws for the demo's own
// failures: they are the result.
CheckResult run_check_variant(const demos::Demo& d, const demos::Variant& v, const DemoSettings& base,
                              bool deterministic);

// Runs `jobs` on `workers` processes (1: here, one after another) and passes each result to
// `report` in the jobs' order; stops after the first result whose exit code is
// kExitInterrupted or more (that result is reported, nothing after it), and when this
// process is stopped (then the first job not reported is reported as stopped). A worker
// that ends without its result (the watchdog's exit) fails that job with its exit code.
void run_checks(const std::vector<CheckJob>& jobs, const DemoSettings& base, bool deterministic, int workers,
                const std::function<void(const CheckResult&)>& report);

// How many workers `check` uses by default for `jobs` variants: two per core this process may
// use (the runs mostly sleep), at most one per variant. Always 1 in a ThreadSanitizer build, which cannot follow a
// fork of a process with threads whose child starts threads.
int default_check_workers(std::size_t jobs);

}  // namespace concur::cli
