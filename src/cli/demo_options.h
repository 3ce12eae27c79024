// The options every demo takes, their validation, and running one demo.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "core/runtime.h"
#include "demos/demo.h"

namespace concur::cli {

// --fast runs each lecture second in 2 ms, or at the finest scale the variant's lesson
// survives when that is slower (Variant::check_time_scale): every demo finishes in about a
// second at most.
constexpr double kFastScale = 0.002;
constexpr double kMinScale = 1e-4;
constexpr double kMaxScale = 1000;
constexpr double kDefaultTimeout = 600;  // seconds; a demo never hangs a terminal or CI
constexpr long long kMaxRuns = 100000;   // --runs

// Options as typed; validated into DemoSettings.
struct DemoOptions {
  std::string variant;
  std::string seed;
  std::string time_scale = "1";
  bool fast = false;
  std::string color = "auto";
  bool quiet = false;
  bool deterministic = false;
  bool step = false;
  bool narrate = false;
  bool timeline = false;
  bool live = false;
  std::string trace;
  std::string record;
  std::string runs;
  bool one_of_many = false;  // set by `check`: like --runs, a run whose loops may be cut
  std::string timeout;
  std::map<std::string, std::string> ints;
  std::map<std::string, std::string> choices;
  std::map<std::string, bool> flags;
};

// The validated settings of one run, from parsing to the run: nothing is copied field by
// field after validate(). `run` is what the core runs with, `context` what the demo reads
// (its deterministic is run.deterministic, set once by validate), the rest what the CLI
// does around the run.
struct DemoSettings {
  RunOptions run;              // seed, time scale, colour, quiet, deterministic; run.chooser
                               // with deterministic: who picks the next thread (--step)
  demos::Context context;
  bool step = false;           // --step: the instructor picks (implies deterministic)
  int runs = 0;                // --runs N: a census of N runs instead of one run
  bool narrate = false;        // --narrate: a sentence per sync event
  bool timeline = false;       // --timeline: a swimlane chart after the run
  bool live = false;           // --live: a panel of what every thread does, as it runs (live.h)
  std::string trace;           // --trace FILE: Chrome Trace Event JSON
  std::string record;          // --record FILE: an asciicast v2 recording
  double timeout = kDefaultTimeout;
  // Said at the end of the Watch: line when --fast runs the variant slower than kFastScale,
  // because its lesson does not survive 2 ms lecture seconds; empty otherwise.
  std::string fast_note;
};

// Adds the common and the demo's own options to `sub`, storing into `opts`.
void add_demo_options(CLI::App& sub, const demos::Demo& demo, DemoOptions& opts);

// Checks every value; throws UsageError with one line naming the option and the problem.
// Refuses too, naming both sides, a demo option the run would not read (one the chosen
// variant does not use, one of a switch left off or replaced) and options that conflict.
DemoSettings validate(const demos::Demo& demo, const DemoOptions& opts);

// Parsers shared with `check`: throw UsageError("--NAME: ...").
std::uint64_t parse_seed(const std::string& text);
double parse_positive_seconds(const std::string& option, const std::string& text, double max);
// OPTION ("--jobs") as a whole number from `min` to `max`.
long long parse_whole_number(const std::string& option, const std::string& text, long long min, long long max);

}  // namespace concur::cli
