#include "demo_options.h"

#include <fmt/color.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "app.h"
#include "concur.h"
#include "core/trace.h"
#include "record.h"
#include "step.h"
#include "timeline.h"
#include "trace_file.h"
#include "usage_error.h"

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

double parse_double(const std::string& option, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v))
    throw UsageError(option + ": '" + text + "' is not a finite number");
  return v;
}

long long parse_int(const demos::IntOption& o, const std::string& text) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < o.min || v > o.max)
    throw UsageError(fmt::format("--{}: '{}' is not a whole number from {} to {}", o.name, text, o.min, o.max));
  return v;
}

// Stops the run if it is still going after `seconds`; ends the process if the demo then
// ignores the stop for several seconds (a thread in a loop that never waits).
class Watchdog {
 public:
  Watchdog(double seconds, std::ostream& err) : err_(err) {
    thread_ = std::thread([this, seconds] {
      std::unique_lock lk(mutex_);
      if (cv_.wait_for(lk, std::chrono::duration<double>(seconds), [&] { return done_; })) return;
      runtime().cancel(kWatchdogCode);
      if (cv_.wait_for(lk, std::chrono::seconds(5), [&] { return done_; })) return;
      err_ << "concur: watchdog: the demo did not stop within 5 s of being told to; exiting\n";
      err_.flush();
      _exit(kWatchdogCode);
    });
  }
  ~Watchdog() {
    {
      std::lock_guard lk(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  static constexpr int kWatchdogCode = 3;
  std::ostream& err_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// An option given an empty value (`--seed ''`) is bad usage, not a request for the default.
const CLI::Validator kNotEmpty(
    [](std::string& text) {
      return text.empty() ? std::string("an empty value; leave the option out for its default") : std::string();
    },
    "", "NOT_EMPTY");

}  // namespace

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size())
    throw UsageError("--seed: '" + text + "' is not a whole number from 0 to 18446744073709551615");
  return v;
}

double parse_positive_seconds(const std::string& option, const std::string& text, double max) {
  double v = parse_double(option, text);
  if (v <= 0 || v > max) throw UsageError(fmt::format("{}: '{}' must be more than 0 and at most {}", option, text, max));
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
  sub.add_flag("--fast", opts.fast, fmt::format("run at time scale {} (for checks and CI)", kFastScale))
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

DemoSettings validate(const demos::Demo& demo, const DemoOptions& opts) {
  DemoSettings s;
  auto names = variant_names(demo);
  s.context.variant = opts.variant.empty() ? names.front() : opts.variant;
  if (std::find(names.begin(), names.end(), s.context.variant) == names.end())
    throw UsageError(fmt::format("unknown variant '{}' of {}{}; variants: {}", opts.variant, demo.name,
                                 did_you_mean(opts.variant, names), join(names, ", ")));
  s.seed = opts.seed.empty() ? std::random_device{}() : parse_seed(opts.seed);
  if (opts.fast) {
    s.time_scale = kFastScale;
  } else {
    s.time_scale = parse_double("--time-scale", opts.time_scale);
    if (s.time_scale < kMinScale || s.time_scale > kMaxScale)
      throw UsageError(fmt::format("--time-scale: '{}' must be from {:g} to {:g} (real seconds per lecture second)",
                                   opts.time_scale, kMinScale, kMaxScale));
  }
  if (opts.color == "always")
    s.color = true;
  else if (opts.color == "never")
    s.color = false;
  else if (opts.color == "auto")
    s.color = isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  else
    throw UsageError("--color: '" + opts.color + "' must be auto, always or never");
  s.quiet = opts.quiet;
  s.step = opts.step;
  s.narrate = opts.narrate;
  s.timeline = opts.timeline;
  s.trace = opts.trace;
  s.record = opts.record;
  if (!s.trace.empty()) check_trace_path("--trace", s.trace);
  if (!s.record.empty()) check_record_path(s.record);
  s.deterministic = s.context.deterministic = opts.deterministic || opts.step;
  if (!opts.runs.empty()) {
    s.runs = static_cast<int>(parse_int({"runs", "", 0, 1, kMaxRuns}, opts.runs));
    if (s.step) throw UsageError("--step and --runs: step through one run, or count many, not both");
    if (s.narrate || s.timeline || !s.trace.empty() || !s.record.empty())
      throw UsageError("--runs counts many quiet runs; --narrate, --timeline, --trace and --record show one run");
  }
  if (s.step && !can_step_from(STDIN_FILENO))
    throw UsageError("--step: reads your choices from the terminal or a pipe, and standard input is neither");
  if (!opts.timeout.empty()) s.timeout = parse_positive_seconds("--timeout", opts.timeout, 86400);
  for (const auto& o : demo.int_options) {
    const std::string& text = opts.ints.at(o.name);
    long long fallback = s.deterministic && o.deterministic_default ? o.deterministic_default : o.default_value;
    s.context.ints[o.name] = text.empty() ? fallback : parse_int(o, text);
  }
  for (const auto& o : demo.choice_options) {
    const std::string& text = opts.choices.at(o.name);
    std::string v = text.empty() ? o.values.front() : text;
    if (std::find(o.values.begin(), o.values.end(), v) == o.values.end())
      throw UsageError(fmt::format("--{}: '{}' must be one of {}{}", o.name, text, join(o.values, ", "),
                                   did_you_mean(text, o.values)));
    s.context.choices[o.name] = v;
  }
  for (const auto& o : demo.flag_options) s.context.flags[o.name] = opts.flags.count(o.name) && opts.flags.at(o.name);
  if (s.deterministic) {
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
  return s;
}

namespace {

// Waits up to 200 ms for the signal thread to act on a SIGINT or SIGTERM that has arrived.
void wait_for_pending_stop() {
  sigset_t pending;
  sigpending(&pending);
  if (!sigismember(&pending, SIGINT) && !sigismember(&pending, SIGTERM) && !sigismember(&pending, SIGHUP) &&
      !sigismember(&pending, SIGQUIT)) {
    // Perhaps already taken by the signal thread, which is about to stop the run.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return;
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (runtime().cancel_code() == 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

int run_demo(const demos::Demo& demo, const DemoSettings& settings, std::ostream& out, std::ostream& err,
             demos::Check* check) {
  RunOptions ro;
  ro.time_scale = settings.time_scale;
  ro.seed = settings.seed;
  ro.color = settings.color;
  ro.quiet = settings.quiet;
  ro.deterministic = settings.deterministic;
  ro.watch_stuck = true;  // a run stuck across its processes is reported (wait_table.h)
  ro.chooser = settings.chooser;
  runtime().begin_run(ro, out, err);
  auto styled = [&](const std::string& text, fmt::text_style style) {
    return settings.color ? fmt::format(style, "{}", text) : text;
  };
  if (!settings.quiet) {
    const std::string* watch = &demo.watch;
    for (const auto& v : demo.variants)
      if (v.name == settings.context.variant && !v.watch.empty()) watch = &v.watch;
    for (const auto& f : demo.flag_options)
      if (settings.context.flags.count(f.name) && settings.context.flags.at(f.name) && !f.watch.empty())
        watch = &f.watch;
    print(styled("Watch: " + *watch, fmt::emphasis::bold));
  }

  demos::Check result{false, "the demo did not finish"};
  bool failed_with_error = false;
  bool tracing = settings.narrate || settings.timeline || !settings.trace.empty();
  if (tracing) trace::start(settings.narrate, /*children=*/true);
  {
    Watchdog watchdog(settings.timeout, err);
    try {
      result = demo.run(settings.context);
    } catch (const ThreadExit&) {
      // The run was stopped (watchdog or signal); reported below.
    } catch (const PyError& e) {
      failed_with_error = true;
      err << "concur: " << demo.name << ": " << e.type() << (e.what()[0] ? ": " : "") << e.what() << "\n";
    } catch (const std::exception& e) {
      // Not a Python error: a bug in the demo. One line and exit 1, not std::terminate.
      failed_with_error = true;
      err << "concur: " << demo.name << ": internal error: " << e.what() << "\n";
    }
  }
  double lecture_end = scheduler().elapsed();
  std::vector<trace::Event> events = tracing ? trace::stop() : std::vector<trace::Event>{};
  std::vector<trace::ProcessTrace> children = trace::children();
  runtime().end_run();
  if (check) *check = result;
  // Ctrl-C reaches the whole process group: a child may die of it and fail the demo before
  // the signal thread (main.cpp) has stopped the run. A failure with SIGINT or SIGTERM
  // still pending is that interruption, not a failed check.
  if ((failed_with_error || !result.held) && runtime().cancel_code() == 0) wait_for_pending_stop();

  if (int code = runtime().cancel_code()) {
    if (code == kExitWatchdog)
      err << fmt::format("concur: watchdog: '{}' was still running after {:g} s and was stopped\n", demo.name,
                         settings.timeout);
    else
      err << "concur: " << (code == 128 + SIGHUP ? "hung up" : code == 128 + SIGQUIT ? "quit" : "interrupted") << "\n";
    return code;
  }
  // The instructor's views of the run: the trace file, then the chart under the output
  bool trace_failed = false;
  if (!settings.trace.empty()) {
    try {
      write_trace(events, children, settings.trace, "concur demo " + demo.name, os::getpid());
    } catch (const std::exception& e) {
      err << "concur: --trace: " << e.what() << "\n";
      trace_failed = true;
    }
  }
  if (settings.timeline) {
    std::lock_guard lk(runtime().out_mutex());
    out << "\n" << render_timeline(events, children, lecture_end, terminal_size().first, settings.color);
    out.flush();
  }
  if (failed_with_error || trace_failed) return kExitCheckFailed;
  if (!settings.quiet) {
    if (result.held)
      print(styled("check: ok - ", fmt::fg(fmt::terminal_color::green)) + result.message);
    else
      print(styled("check: FAILED - ", fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold) + result.message);
  }
  return result.held ? kExitOk : kExitCheckFailed;
}

}  // namespace concur::cli
