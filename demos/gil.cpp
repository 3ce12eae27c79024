// CPU-bound work, the GIL, and what C++ does without one: a countdown of COUNT steps run
// once, in two threads, in two processes, and in two threads under a simulated GIL.
//
// Unit 003 "Impact on multi-threaded Python programs": Code 1 counts 50,000,000 down to 0
// in the main thread ("Time taken in seconds - 2.5236213207244873"); Code 2 gives 25,000,000
// to each of two threads and takes about as long, because CPython's GIL lets only one of
// them run at a time. 003 "How to deal with Python's GIL": two processes, each with its
// own interpreter and GIL, 25,000,000 each.
// C++ has no GIL: its two threads count on two cores at once, like the two processes. The
// variant `simulated-gil` puts the two threads under the demo's own interpreter lock
// (gil__simulated.cpp), handed over every --switch-interval steps: what Python sees.
// `compare` (the default) runs the four versions one after the other and prints each one's
// speed-up against sequential; each other variant runs one version, after a quiet
// sequential run as its baseline. Each version runs three times and reports its fastest
// run, as timeit's repeat is read. Times are real seconds (work, not waiting): --fast and
// --time-scale do not change them. The check: every counter reached 0, and fast enough
// only if every step ran, never so fast that the loop was optimised away. A deterministic
// run times the steps on the virtual clock instead, at the cost model's price
// (cpu_cost.h), so its numbers are the lesson without the machine's noise; its check says
// so.
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/gil.h"

namespace concur::demos {
namespace {

// One version: which it is, its name in the speed-up line, and what it ran.
enum class Kind { kSequential, kThreads, kProcesses, kSimulatedGil };
struct Version {
  Kind kind;
  std::string label;
  gil::CountdownRun run;
};

// No CPU counts a dependent chain of decrements faster than this (ns per step); a loop
// that "took" less was folded away by the compiler.
constexpr double kFastestStepNs = 0.02;

std::string speed_up(const Version& v, double baseline);
Check check_gil(const std::vector<Version>& versions, long long count, const std::vector<std::string>& speed_ups);

// Each version runs (best of three) after its heading and prints the lecture's time line.
Version sequential(long long count, long long) {
  print("Sequential: countdown({}) in the main thread", count);
  Version v{Kind::kSequential, "sequential", gil::best_of_three([&] { return gil::sequential(count); })};
  print("Time taken in seconds - {}", v.run.seconds);
  return v;
}

Version threads(long long count, long long) {
  print("Two threads: countdown({}) in each", count / 2);
  Version v{Kind::kThreads, "two threads", gil::best_of_three([&] { return gil::two_threads(count); })};
  print("Time taken in seconds - {}", v.run.seconds);
  return v;
}

Version processes(long long count, long long) {
  print("Two processes: countdown({}) in each", count / 2);
  Version v{Kind::kProcesses, "two processes", gil::best_of_three([&] { return gil::two_processes(count); })};
  print("Time taken in seconds - {}", v.run.seconds);
  return v;
}

Version simulated_gil(long long count, long long switch_interval) {
  print("Two threads under a simulated GIL, handed over every {} steps: countdown({}) in each", switch_interval,
        count / 2);
  Version v{Kind::kSimulatedGil, "simulated GIL",
            gil::best_of_three([&] { return gil::simulated_gil(count, switch_interval); })};
  print("Time taken in seconds - {}", v.run.seconds);
  print("The interpreter lock changed hands {} time{}", v.run.handovers, v.run.handovers == 1 ? "" : "s");
  return v;
}

using VersionFn = Version (*)(long long count, long long switch_interval);

// Runs `chosen` and prints each one's speed-up against sequential: all four for compare,
// else the one after a quiet sequential baseline (named when it ran quietly).
Check run_versions(const Context& ctx, const std::vector<VersionFn>& chosen, bool compare) {
  long long count = ctx.integer("count");
  long long switch_interval = ctx.integer("switch-interval");
  std::vector<Version> versions;
  if (chosen.front() != sequential)
    versions.push_back({Kind::kSequential, "sequential", gil::best_of_three([&] { return gil::sequential(count); })});
  for (VersionFn version : chosen) versions.push_back(version(count, switch_interval));

  double baseline = versions.front().run.seconds;
  std::vector<std::string> speed_ups;
  for (const Version& v : versions) {
    if (v.kind == Kind::kSequential) continue;
    if (compare) print("{}", speed_up(v, baseline));
    else print("{} (sequential took {:.3g} s)", speed_up(v, baseline), baseline);
    speed_ups.push_back(fmt::format("{} {:.3g}x", v.label, baseline / v.run.seconds));
  }
  return check_gil(versions, count, speed_ups);
}

}  // namespace

Check run_gil_compare(const Context& ctx) {
  return run_versions(ctx, {sequential, threads, processes, simulated_gil}, /*compare=*/true);
}
Check run_gil_sequential(const Context& ctx) { return run_versions(ctx, {sequential}, false); }
Check run_gil_threads(const Context& ctx) { return run_versions(ctx, {threads}, false); }
Check run_gil_processes(const Context& ctx) { return run_versions(ctx, {processes}, false); }
Check run_gil_simulated_gil(const Context& ctx) { return run_versions(ctx, {simulated_gil}, false); }

namespace {

// "two threads: 1.93x faster than sequential", or "... 1.05x slower than sequential".
std::string speed_up(const Version& v, double baseline) {
  double ratio = baseline / v.run.seconds;
  if (ratio >= 1) return fmt::format("{}: {:.2f}x faster than sequential", v.label, ratio);
  return fmt::format("{}: {:.2f}x slower than sequential", v.label, 1 / ratio);
}

// Every counter reached 0, and the sequential count took real time per step (in a
// deterministic run, the model's time: no evidence, so not a condition).
Check check_gil(const std::vector<Version>& versions, long long count, const std::vector<std::string>& speed_ups) {
  double baseline = versions.front().run.seconds;
  int counters = 0, at_zero = 0;
  double threads_speed_up = 0;
  std::string note;
  for (const Version& v : versions) {
    for (long long n : v.run.finals) at_zero += n == 0 ? 1 : 0;
    counters += static_cast<int>(v.run.finals.size());
    if (v.kind == Kind::kThreads) threads_speed_up = baseline / v.run.seconds;
    if (v.kind == Kind::kSimulatedGil)
      note += fmt::format("; the simulated GIL changed hands {} time(s)", v.run.handovers);
  }
  if (threads_speed_up > 0 && threads_speed_up < 1.3)
    note += fmt::format("; the threads gained little, so the cores were busy ({} hardware threads)",
                        std::thread::hardware_concurrency());
  double ns_per_step = baseline * 1e9 / count;
  if (cpu::modelled())
    return {at_zero == counters,
            fmt::format("{}/{} counters reached 0 in {} version(s) of countdown({}); sequential took {:.3g} s on the "
                        "virtual clock, {:.2f} ns per step as the cost model charges{}{}{}",
                        at_zero, counters, versions.size(), count, baseline, ns_per_step,
                        speed_ups.empty() ? "" : "; speed-ups: ", fmt::join(speed_ups, ", "), note)};
  bool held = at_zero == counters && ns_per_step >= kFastestStepNs;
  return {held, fmt::format("{}/{} counters reached 0 in {} version(s) of countdown({}); sequential took {:.3g} s, "
                            "{:.2f} ns per step, so every step ran{}{}{}",
                            at_zero, counters, versions.size(), count, baseline, ns_per_step,
                            speed_ups.empty() ? "" : "; speed-ups: ", fmt::join(speed_ups, ", "), note)};
}

}  // namespace

}  // namespace concur::demos
