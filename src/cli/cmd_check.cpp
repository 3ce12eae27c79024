// `concur check [--all | NAME...]`: run demos fast, one line each, a summary, exit 1 if any
// check fails. Every variant of each named demo runs, with a fixed seed, at --fast or at the
// slower time scale the variant asks for (Variant::check_time_scale). `--tap` prints TAP
// version 14 instead of the table; `--junit FILE` also writes a JUnit XML report (the
// formats are check_report.h's).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "cli/app.h"
#include "cli/run_demo.h"
#include "cli/check_report.h"
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
};

// Runs variant `v` of `d` as check does, with `base` (seed, timeout, quiet, --fast), under
// the deterministic scheduler if `deterministic`. Returns what it came to; a variant that
// cannot run deterministically is skipped, with the reason. Never throws for the demo's own
// failures: they are the result.
CheckResult run_variant(const demos::Demo& d, const demos::Variant& v, const DemoSettings& base, bool deterministic) {
  CheckResult result{.demo = d.name, .variant = v.name};
  DemoOptions defaults;
  for (const auto& o : d.int_options) {
    bool read = o.flag.empty() && (o.variants.empty() || std::ranges::count(o.variants, v.name) > 0);
    defaults.ints[o.name] = read && o.check_value != 0 ? std::to_string(o.check_value) : "";
  }
  for (const auto& o : d.choice_options) defaults.choices[o.name] = "";
  defaults.variant = v.name;
  defaults.deterministic = deterministic;
  defaults.one_of_many = true;
  DemoSettings s = base;
  // A variant whose lesson needs slower lecture seconds than --fast runs at its own scale
  // (not under --deterministic, whose clock is virtual).
  bool slowed = !deterministic && v.check_time_scale > base.run.time_scale;
  if (slowed) s.run.time_scale = v.check_time_scale;
  try {
    DemoSettings valid = validate(d, defaults);
    s.context = valid.context;
    s.run.deterministic = valid.run.deterministic;
  } catch (const UsageError& e) {  // a variant --deterministic cannot run
    std::string why = e.what();
    std::size_t at = why.find("deterministically: ");
    result.outcome = CheckResult::Outcome::kSkipped;
    result.message = at == std::string::npos ? why : why.substr(at + 19);
    return result;
  }
  std::ostringstream out, err;
  demos::Check check{false, ""};
  auto start = std::chrono::steady_clock::now();
  result.exit_code = run_demo(d, s, out, err, &check);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.outcome = result.exit_code == 0 ? CheckResult::Outcome::kPassed : CheckResult::Outcome::kFailed;
  result.output = out.str() + err.str();
  // The check line: the check's message, or the last line the stop left on stderr (after
  // any "Exception in thread" report the demo printed there).
  std::string last = err.str();
  while (!last.empty() && last.back() == '\n') last.pop_back();
  last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
  int code = result.exit_code;
  result.message = code == 0 || code == 1 ? check.message : "exit " + std::to_string(code) + ": " + last;
  if (slowed) result.message += fmt::format(" (at --time-scale {})", s.run.time_scale);
  if (s.context.loops_cut) result.message += fmt::format(" (loops cut to {})", demos::Context::kShortLoop);
  return result;
}
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

    std::size_t planned = 0;
    for (const demos::Demo* d : chosen) planned += d->variants.size();
    if (opts->tap) io.out << tap_header(planned);
    std::vector<CheckResult> results;
    Progress progress(io.err, "check", "variants", static_cast<int>(planned));
    for (const demos::Demo* d : chosen) {
      for (const auto& v : d->variants) {
        results.push_back(run_variant(*d, v, base, opts->deterministic));
        const CheckResult& r = results.back();
        progress.clear();  // stdout may be the same terminal: the line goes above it
        io.out << (opts->tap ? tap_test_point(r, results.size()) : table_line(r));
        io.out.flush();
        progress.update(static_cast<int>(results.size()));
        if (r.exit_code >= kExitInterrupted) {  // no summary, no report: as a trace, only when the run ended itself
          if (opts->tap) io.out << tap_bail_out(r);
          io.exit_code = r.exit_code;
          return;
        }
      }
    }
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
