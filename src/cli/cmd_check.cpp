// `concur check [--all | NAME...]`: run demos fast, one line each, a summary, exit 1 if any
// check fails. Every variant of each named demo runs, with a fixed seed, at --fast or at the
// slower time scale the variant asks for (Variant::check_time_scale), side by side in worker
// processes, two per core (`--jobs N`; check_runs.h), reported in table order. `--tap` prints TAP
// version 14 instead of the table; `--junit FILE` also writes a JUnit XML report (the
// formats are check_report.h's).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "cli/app.h"
#include "cli/run_demo.h"
#include "cli/check_report.h"
#include "cli/check_runs.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/trace_file.h"
#include "cli/usage_error.h"

namespace concur::cli {

namespace {
struct CheckOptions {
  bool all = false;
  std::vector<std::string> names;
  std::string seed = "1";
  std::string timeout = "60";
  bool deterministic = false;
  std::string junit;
  bool tap = false;
  std::string jobs;
};

}  // namespace

void add_check_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("check", "run demos with --fast and verify each one's check");
  auto opts = std::make_shared<CheckOptions>();
  auto* all = sub->add_flag("--all", opts->all, "every demo in the table");
  sub->add_option("NAME", opts->names, "demos to check")->excludes(all);
  sub->add_option("--seed", opts->seed, "seed for every run (default 1)")->type_name("N");
  sub->add_option("--timeout", opts->timeout, "watchdog per run, real seconds (default 60)")->type_name("S");
  sub->add_flag("--deterministic", opts->deterministic,
                "run each variant under the deterministic scheduler; skip those that cannot (processes, sockets)");
  auto* junit =
      sub->add_option("--junit", opts->junit, "also write a JUnit XML report to FILE, one testcase per variant")
          ->type_name("FILE");
  sub->add_flag("--tap", opts->tap, "print TAP version 14 instead of the table");
  sub->add_option("--jobs", opts->jobs, "variants run side by side, each in its own process (default: two per core)")
      ->type_name("N");
  sub->callback([&io, opts, junit] {
    if (!opts->all && opts->names.empty()) throw UsageError("check: name demos to check, or use --all");
    std::vector<const demos::Demo*> chosen;
    if (opts->all)
      for (const auto& d : demos::table()) chosen.push_back(&d);
    for (const auto& n : opts->names) chosen.push_back(&demo_or_usage_error(n));
    DemoSettings base;
    base.run.seed = parse_seed(opts->seed);
    base.timeout = parse_positive_seconds("--timeout", opts->timeout, 86400);
    base.run.time_scale = kFastScale;
    base.run.quiet = true;
    // The report's path is tried before anything runs (as --trace's is).
    if (junit->count()) check_trace_path("--junit", opts->junit);

    std::vector<CheckJob> jobs;
    for (const demos::Demo* d : chosen)
      for (const auto& v : d->variants) jobs.push_back({d, &v});
    int workers = opts->jobs.empty() ? default_check_workers(jobs.size())
                                     : static_cast<int>(parse_whole_number("--jobs", opts->jobs, 1, 64));
    if (opts->tap) io.out << tap_header(jobs.size());
    std::vector<CheckResult> results;
    Progress progress(io.err, "check", "variants", static_cast<int>(jobs.size()));
    bool stopped = false;
    io.out.flush();  // a worker is a fork of this process: nothing buffered twice
    io.err.flush();
    run_checks(jobs, base, opts->deterministic, workers, [&](const CheckResult& r) {
      results.push_back(r);
      progress.clear();  // stdout may be the same terminal: the line goes above it
      io.out << (opts->tap ? tap_test_point(r, results.size()) : table_line(r));
      io.out.flush();
      progress.update(static_cast<int>(results.size()));
      if (r.exit_code >= kExitInterrupted) {  // no summary, no report: as a trace, only when the run ended itself
        if (opts->tap) io.out << tap_bail_out(r);
        io.exit_code = r.exit_code;
        stopped = true;
      }
    });
    if (stopped) return;
    progress.clear();
    io.out << (opts->tap ? tap_summary(results) : table_summary(results));
    bool failed = std::any_of(results.begin(), results.end(),
                              [](const CheckResult& r) { return r.outcome == CheckResult::Outcome::kFailed; });
    io.exit_code = failed ? kExitCheckFailed : kExitOk;
    if (junit->count()) {
      try {
        write_file_atomically(opts->junit, junit_xml(results));
      } catch (const std::exception& e) {
        io.err << "concur: --junit: " << e.what() << "\n";
        io.exit_code = kExitCheckFailed;
      }
    }
  });
}

}  // namespace concur::cli
