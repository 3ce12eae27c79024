#include "cli/demo_options.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>

#include "cli/live.h"
#include "cli/record.h"
#include "cli/step.h"
#include "cli/trace_file.h"
#include "cli/usage_error.h"

namespace concur::cli {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> variant_names(const demos::Demo& demo) {
  std::vector<std::string> names;
  for (const auto& v : demo.variants) names.push_back(v.name);
  return names;
}

// "--variant kinds" or "--variant square, map or counting".
std::string variant_list(const std::vector<std::string>& variants) {
  std::string out = "--variant ";
  for (std::size_t i = 0; i < variants.size(); ++i)
    out += (i == 0 ? "" : i + 1 == variants.size() ? " or " : ", ") + variants[i];
  return out;
}

// Whether `text` is a number in the one grammar every numeric option reads: decimal digits,
// a sign first where `sign` allows one ('-' or '+'), and for a real number (`real`) a
// decimal point and an exponent too ("12", "-3", "0.5", ".5", "2.", "1e-3", "1.5E+2").
// No hex ("0x10", "0x1p-4"), no "inf" or "nan", no spaces or other characters around it.
bool is_decimal(const std::string& text, bool real, bool sign) {
  std::size_t i = 0, n = text.size();
  auto digits = [&] {
    std::size_t from = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    return i - from;
  };
  if (sign && i < n && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t whole = digits(), fraction = 0;
  if (real && i < n && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole + fraction == 0) return false;
  if (real && i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '-' || text[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

// `text` without the '+' that is_decimal() allows and std::from_chars does not.
const char* number_start(const std::string& text) { return text.data() + (text.starts_with('+') ? 1 : 0); }

// A real number option's value. Throws UsageError("OPTION: 'TEXT' is not a decimal number ...").
double parse_double(const std::string& option, const std::string& text) {
  double v = 0;
  if (!is_decimal(text, /*real=*/true, /*sign=*/true))
    throw UsageError(option + ": " + repr(text) + " is not a decimal number such as 2, 0.5 or 1e-3");
  auto [p, ec] = std::from_chars(number_start(text), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
    throw UsageError(option + ": " + repr(text) + " is out of range");
  return v;
}

// A whole-number option's value, within [o.min, o.max]. Throws UsageError("--NAME: ...").
long long parse_int(const demos::IntOption& o, const std::string& text) {
  long long v = 0;
  std::from_chars_result r{};
  bool decimal = is_decimal(text, /*real=*/false, /*sign=*/true);
  if (decimal) r = std::from_chars(number_start(text), text.data() + text.size(), v);
  if (!decimal || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < o.min || v > o.max)
    throw UsageError(fmt::format("--{}: {} is not a whole number from {} to {}", o.name, repr(text), o.min, o.max));
  return v;
}

// An option given an empty value (`--seed ''`) is bad usage, not a request for the default.
const CLI::Validator kNotEmpty(
    [](std::string& text) {
      return text.empty() ? std::string("an empty value; leave the option out for its default") : std::string();
    },
    "", "NOT_EMPTY");

}  // namespace

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t v = 0;
  std::from_chars_result r{};
  bool decimal = is_decimal(text, /*real=*/false, /*sign=*/false);
  if (decimal) r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!decimal || r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw UsageError("--seed: " + repr(text) + " is not a whole number from 0 to 18446744073709551615");
  return v;
}

long long parse_whole_number(const std::string& option, const std::string& text, long long min, long long max) {
  return parse_int({option.substr(2), "", 0, min, max}, text);
}

double parse_positive_seconds(const std::string& option, const std::string& text, double max) {
  double v = parse_double(option, text);
  if (v <= 0 || v > max)
    throw UsageError(fmt::format("{}: {} must be more than 0 and at most {}", option, repr(text), max));
  return v;
}

void add_demo_options(CLI::App& sub, const demos::Demo& demo, DemoOptions& opts) {
  std::string variants;
  for (const auto& v : demo.variants)
    variants += fmt::format("\n  {:<18}{}{}", v.name, v.summary, &v == &demo.variants.front() ? " (default)" : "");
  sub.add_option("--variant,-v", opts.variant, "which of the lecture's versions to run (see below)")
      ->type_name("NAME")
      ->check(kNotEmpty);
  sub.footer("Variants:" + variants);
  sub.add_option("--seed", opts.seed, "make every random choice reproducible (default: a fresh seed)")
      ->type_name("N")
      ->check(kNotEmpty);
  auto* scale = sub.add_option("--time-scale", opts.time_scale,
                               "real seconds per lecture second: 2 = half speed, 0.1 = ten times faster")
                    ->type_name("F");
  sub.add_flag("--fast", opts.fast,
               fmt::format("run at time scale {} (for checks and CI), or as fast as the variant's lesson allows",
                           kFastScale))
      ->excludes(scale);
  sub.add_option("--color", opts.color, "auto, always or never (NO_COLOR is honoured)")->type_name("WHEN");
  sub.add_flag("--quiet,-q", opts.quiet, "print only the lecture's lines: no Watch: line, no check line");
  sub.add_flag("--deterministic", opts.deterministic,
               "threads take turns in an order drawn from --seed, on a virtual clock: the same output every run");
  sub.add_flag("--step", opts.step,
               "deterministic, and you pick the next thread at each decision (Enter = the seed's pick, q = stop); "
               "reads the terminal, or one answer a line from a pipe");
  sub.add_flag("--narrate", opts.narrate, "tell each lock, wait, sleep and queue operation as a sentence, as it happens");
  sub.add_flag("--timeline", opts.timeline,
               "after the demo, a chart of each thread across lecture time: running, sleeping, waiting, holding");
  sub.add_flag("--live", opts.live,
               "on a terminal, a panel under the output of what every thread is doing now and who holds what");
  sub.add_option("--trace", opts.trace, "write the run's events as Chrome Trace Event JSON (open in ui.perfetto.dev)")
      ->type_name("FILE")
      ->check(kNotEmpty);
  sub.add_option("--record", opts.record, "record the run's output as an asciicast v2 file (asciinema play FILE)")
      ->type_name("FILE")
      ->check(kNotEmpty);
  sub.add_option("--runs", opts.runs,
                 "run N times with seeds S, S+1, ... silently and print a census of the outcomes")
      ->type_name("N")
      ->check(kNotEmpty);
  sub.add_option("--timeout", opts.timeout,
                 fmt::format("stop the demo after S real seconds, exit 3 (default {:g})", kDefaultTimeout))
      ->type_name("S")
      ->check(kNotEmpty);
  for (const auto& o : demo.int_options)
    sub.add_option("--" + o.name, opts.ints[o.name], fmt::format("{} (default {})", o.help, o.default_value))
        ->type_name("N")
        ->check(kNotEmpty);
  for (const auto& o : demo.choice_options)
    sub.add_option("--" + o.name, opts.choices[o.name], o.help + ": " + join(o.values, ", "))
        ->type_name("VALUE")
        ->check(kNotEmpty);
  for (const auto& o : demo.flag_options) sub.add_flag("--" + o.name, opts.flags[o.name], o.help);
}

namespace {

// Refuses every demo option given that the run would not read, and every view of running
// threads asked of a switch that runs none, naming both sides: a silent drop is a surprise.
// An option is read when the chosen variant is among its `variants` (or they are empty),
// its `flag` is on (or it has none and no switch that replaces the run is on).
void refuse_unread_options(const demos::Demo& demo, const DemoOptions& opts, const DemoSettings& s) {
  const std::string& variant = s.context.variant;
  auto on = [&](const std::string& flag) { return s.context.flags.count(flag) && s.context.flags.at(flag); };
  const demos::FlagOption* replacing = nullptr;  // the switch on that runs instead of the threads
  for (const auto& f : demo.flag_options)
    if (f.replaces_run && on(f.name)) replacing = &f;
  // What the replacing switch reads: the options that name it.
  std::vector<std::string> its_own;
  for (const auto& o : demo.int_options)
    if (replacing && o.flag == replacing->name) its_own.push_back("--" + o.name);
  for (const auto& o : demo.choice_options)
    if (replacing && o.flag == replacing->name) its_own.push_back("--" + o.name);

  auto check = [&](const std::string& name, const std::vector<std::string>& variants, const std::string& flag) {
    if (!variants.empty() && std::find(variants.begin(), variants.end(), variant) == variants.end())
      throw UsageError(fmt::format("--{}: used only by {}; {} --variant {} does not read it", name,
                                   variant_list(variants), demo.name, variant));
    if (!flag.empty() && !on(flag))
      throw UsageError(fmt::format("--{}: used only with --{}; {} without --{} does not read it", name, flag,
                                   demo.name, flag));
    if (flag.empty() && replacing && name != replacing->name)
      throw UsageError(fmt::format("--{} and --{}: --{} runs no threads and reads {}", replacing->name, name,
                                   replacing->name,
                                   its_own.empty() ? "none of the demo's options" : "only " + join(its_own, ", ")));
  };
  for (const auto& o : demo.int_options)
    if (!opts.ints.at(o.name).empty()) check(o.name, o.variants, o.flag);
  for (const auto& o : demo.choice_options)
    if (!opts.choices.at(o.name).empty()) check(o.name, o.variants, o.flag);
  for (const auto& o : demo.flag_options)
    if (on(o.name)) check(o.name, o.variants, "");

  // The views of running threads have nothing to show when no thread runs
  if (!replacing) return;
  std::string flag = "--" + replacing->name;
  auto refuse = [&](bool asked, const char* view, const char* what) {
    if (asked)
      throw UsageError(fmt::format("{} and {}: {} runs no threads, so there is nothing to {}", flag, view, flag, what));
  };
  refuse(s.runs > 0, "--runs", "count (every run prints the same)");
  refuse(s.step, "--step", "step through");
  refuse(s.narrate, "--narrate", "narrate");
  refuse(s.timeline, "--timeline", "chart");
  refuse(s.live, "--live", "show");
  refuse(!s.trace.empty(), "--trace", "trace");
}

}  // namespace

DemoSettings validate(const demos::Demo& demo, const DemoOptions& opts) {
  DemoSettings s;
  auto names = variant_names(demo);
  s.context.variant = opts.variant.empty() ? names.front() : opts.variant;
  if (std::find(names.begin(), names.end(), s.context.variant) == names.end())
    throw UsageError(fmt::format("unknown variant {} of {}{}; variants: {}", repr(opts.variant), demo.name,
                                 did_you_mean(opts.variant, names), join(names, ", ")));
  s.run.seed = opts.seed.empty() ? std::random_device{}() : parse_seed(opts.seed);
  if (opts.fast) {
    // As fast as the lesson allows: a variant whose lesson needs lecture seconds longer than
    // a loaded machine's thread or process start-up declares the finest scale it survives.
    // A deterministic run's clock is virtual, so there the scale changes nothing.
    s.run.time_scale = kFastScale;
    double finest = demo.variant(s.context.variant).check_time_scale;
    if (finest > kFastScale && !opts.deterministic && !opts.step) {
      s.run.time_scale = finest;
      s.fast_note = fmt::format(" (--fast runs this variant at --time-scale {:g}, the fastest its lesson shows at)",
                                finest);
    }
  } else {
    s.run.time_scale = parse_double("--time-scale", opts.time_scale);
    if (s.run.time_scale < kMinScale || s.run.time_scale > kMaxScale)
      throw UsageError(fmt::format("--time-scale: {} must be from {:g} to {:g} (real seconds per lecture second)",
                                   repr(opts.time_scale), kMinScale, kMaxScale));
  }
  if (opts.color == "always")
    s.run.color = true;
  else if (opts.color == "never")
    s.run.color = false;
  else if (opts.color == "auto")
    s.run.color = isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  else
    throw UsageError("--color: " + repr(opts.color) + " must be auto, always or never");
  s.run.quiet = opts.quiet;
  s.step = opts.step;
  s.narrate = opts.narrate;
  s.timeline = opts.timeline;
  s.live = opts.live;
  s.trace = opts.trace;
  s.record = opts.record;
  if (!s.trace.empty()) check_trace_path("--trace", s.trace);
  if (!s.record.empty()) check_record_path(s.record);
  s.run.deterministic = s.context.deterministic = opts.deterministic || opts.step;
  if (!opts.runs.empty()) {
    s.runs = static_cast<int>(parse_int({"runs", "", 0, 1, kMaxRuns}, opts.runs));
    if (s.step) throw UsageError("--step and --runs: step through one run, or count many, not both");
    if (s.narrate || s.timeline || s.live || !s.trace.empty() || !s.record.empty())
      throw UsageError(
          "--runs counts many quiet runs; --narrate, --timeline, --live, --trace and --record show one run");
  }
  s.context.short_loops = s.run.deterministic && (s.runs > 0 || opts.one_of_many);
  if (!opts.timeout.empty()) s.timeout = parse_positive_seconds("--timeout", opts.timeout, 86400);
  for (const auto& o : demo.int_options) {
    const std::string& text = opts.ints.at(o.name);
    long long fallback = s.context.short_loops && o.deterministic_default ? o.deterministic_default : o.default_value;
    s.context.ints[o.name] = text.empty() ? fallback : parse_int(o, text);
    if (text.empty() && fallback != o.default_value) s.context.loops_cut = true;
  }
  for (const auto& o : demo.choice_options) {
    const std::string& text = opts.choices.at(o.name);
    std::string v = text.empty() ? o.values.front() : text;
    if (std::find(o.values.begin(), o.values.end(), v) == o.values.end())
      throw UsageError(fmt::format("--{}: {} must be one of {}{}", o.name, repr(text), join(o.values, ", "),
                                   did_you_mean(text, o.values)));
    s.context.choices[o.name] = v;
  }
  for (const auto& o : demo.flag_options) s.context.flags[o.name] = opts.flags.count(o.name) && opts.flags.at(o.name);
  refuse_unread_options(demo, opts, s);
  if (s.run.deterministic) {
    std::string why = demo.not_deterministic;
    bool whole_demo = !why.empty();
    for (const auto& v : demo.variants)
      if (why.empty() && v.name == s.context.variant) why = v.not_deterministic;
    for (const auto& o : demo.choice_options)
      if (auto it = o.not_deterministic.find(s.context.choices[o.name]); why.empty() && it != o.not_deterministic.end())
        why = fmt::format("--{} {} {}", o.name, it->first, it->second);
    if (!why.empty())
      throw UsageError(fmt::format("--deterministic: {}{} cannot run deterministically: {}", demo.name,
                                   demo.variants.size() > 1 && !whole_demo ? " --variant " + s.context.variant : "",
                                   why));
  }
  if (s.live && !live_possible()) throw UsageError("--live needs a terminal");
  if (s.step && !can_step_from(STDIN_FILENO))
    throw UsageError("--step: reads your choices from the terminal or a pipe, and standard input is neither");
  return s;
}

}  // namespace concur::cli
