// `concur check [--all | NAME...]`: run demos fast, one line each, a summary, exit 1 if any
// check fails. Every variant of each named demo runs, with a fixed seed, at --fast or at the
// slower time scale the variant asks for (Variant::check_time_scale).
#include <fmt/format.h>

#include <chrono>
#include <sstream>

#include "app.h"
#include "commands.h"
#include "usage_error.h"

namespace concur::cli {

namespace {
struct CheckOptions {
  bool all = false;
  std::vector<std::string> names;
  std::string seed = "1";
  std::string timeout = "60";
  bool deterministic = false;
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
  sub->callback([&io, opts] {
    if (!opts->all && opts->names.empty()) throw UsageError("check: name demos to check, or use --all");
    std::vector<const demos::Demo*> chosen;
    if (opts->all)
      for (const auto& d : demos::table()) chosen.push_back(&d);
    for (const auto& n : opts->names) chosen.push_back(&demo_or_usage_error(n));
    DemoSettings base;
    base.seed = parse_seed(opts->seed);
    base.timeout = parse_positive_seconds("--timeout", opts->timeout, 86400);
    base.time_scale = kFastScale;
    base.quiet = true;

    int passed = 0, failed = 0, skipped = 0;
    for (const demos::Demo* d : chosen) {
      DemoOptions defaults;
      for (const auto& o : d->int_options) defaults.ints[o.name] = "";
      for (const auto& o : d->choice_options) defaults.choices[o.name] = "";
      for (const auto& v : d->variants) {
        DemoSettings s = base;
        // A variant whose lesson needs slower lecture seconds than --fast runs at its own
        // scale (not under --deterministic, whose clock is virtual).
        bool slowed = !opts->deterministic && v.check_time_scale > base.time_scale;
        if (slowed) s.time_scale = v.check_time_scale;
        defaults.variant = v.name;
        defaults.deterministic = opts->deterministic;
        try {
          DemoSettings valid = validate(*d, defaults);
          s.context = valid.context;
          s.deterministic = valid.deterministic;
        } catch (const UsageError& e) {  // a variant --deterministic cannot run
          ++skipped;
          std::string why = e.what();
          why = why.substr(why.find("deterministically: ") + 19);
          io.out << fmt::format("{:<7}{:<28}{:>6}    {}\n", "skip", d->name + ":" + v.name, "", why);
          continue;
        }
        std::ostringstream out, err;
        demos::Check check{false, ""};
        auto start = std::chrono::steady_clock::now();
        int code = run_demo(*d, s, out, err, &check);
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // One line per run: the check's message, or the last line the stop left on stderr
        // (after any "Exception in thread" report the demo printed there).
        std::string last = err.str();
        while (!last.empty() && last.back() == '\n') last.pop_back();
        last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
        std::string what = code == 0 || code == 1 ? check.message : "exit " + std::to_string(code) + ": " + last;
        if (slowed) what += fmt::format(" (at --time-scale {})", s.time_scale);
        (code == 0 ? passed : failed) += 1;
        io.out << fmt::format("{:<7}{:<28}{:>6.2f} s  {}\n", code == 0 ? "ok" : "FAILED", d->name + ":" + v.name,
                              secs, what);
        io.out.flush();
        if (code >= kExitInterrupted) {
          io.exit_code = code;
          return;
        }
      }
    }
    io.out << fmt::format("{} passed, {} failed{}\n", passed, failed,
                          skipped ? fmt::format(", {} skipped (they cannot run deterministically)", skipped) : "");
    io.exit_code = failed == 0 ? kExitOk : kExitCheckFailed;
  });
}

}  // namespace concur::cli
