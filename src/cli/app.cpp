#include "cli/app.h"

#include <signal.h>

#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.h"
#include "cli/usage_error.h"

namespace concur::cli {

int exit_code(StopReason why) {
  switch (why) {
    case StopReason::kNone: return kExitOk;
    case StopReason::kTimeout: return kExitWatchdog;
    case StopReason::kStuck: return kExitWatchdog;
    case StopReason::kInterrupt: return 128 + SIGINT;
    case StopReason::kTerminate: return 128 + SIGTERM;
    case StopReason::kHangup: return 128 + SIGHUP;
    case StopReason::kQuit: return 128 + SIGQUIT;
    case StopReason::kOutputClosed: return 128 + SIGPIPE;
    case StopReason::kOutputFailed: return kExitCheckFailed;
  }
  return kExitCheckFailed;
}

StopReason stop_for_signal(int sig) {
  switch (sig) {
    case SIGINT: return StopReason::kInterrupt;
    case SIGHUP: return StopReason::kHangup;
    case SIGQUIT: return StopReason::kQuit;
    default: return StopReason::kTerminate;
  }
}

const char* stop_word(StopReason why) {
  switch (why) {
    case StopReason::kHangup: return "hung up";
    case StopReason::kQuit: return "quit";
    case StopReason::kStuck: return "stuck: no thread can run";
    default: return "interrupted";
  }
}

namespace {

const std::vector<std::string> kCommands = {"list", "demo", "explain", "source", "check", "bench"};

// `concur NAME ...` is `concur demo NAME ...`; an unknown first word is a usage error with
// a suggestion drawn from both commands and demos.
// (CLI11 would report an unknown option before the command, or a demo option before the
// demo's name, as "A subcommand is required"; these say what is wrong.)
std::vector<std::string> normalise(std::vector<std::string> args) {
  auto is_app_flag = [](const std::string& a) { return a == "-h" || a == "--help" || a == "--version"; };
  if (args.empty()) return args;
  if (args[0].starts_with("-")) {
    if (!is_app_flag(args[0]))
      throw UsageError("unknown option " + repr(args[0]) + "; 'concur --help' shows the options and commands");
    return args;
  }
  auto is_command = std::find(kCommands.begin(), kCommands.end(), args[0]) != kCommands.end();
  if (is_command) {
    if (args[0] == "demo" && args.size() == 1) throw UsageError("demo: name a demo to run; 'concur list' shows them");
    if (args[0] == "demo" && !args[1].starts_with("-")) demo_or_usage_error(args[1]);
    if (args[0] == "demo" && args[1].starts_with("-") && args[1] != "-h" && args[1] != "--help")
      throw UsageError("demo: name the demo before its options, e.g. concur demo semaphore " + args[1]);
    return args;
  }
  if (demos::find(args[0])) {
    args.insert(args.begin(), "demo");
    return args;
  }
  std::vector<std::string> words = kCommands;
  for (const auto& n : demo_names()) words.push_back(n);
  throw UsageError("unknown command or demo " + repr(args[0]) + did_you_mean(args[0], words) +
                   "; 'concur --help' shows the commands, 'concur list' the demos");
}

// The subcommand of `app` named `name`, or nullptr.
const CLI::App* subcommand(const CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&](const CLI::App* s) { return s->get_name() == name; });
  return found.empty() ? nullptr : found.front();
}

// `--NAME=` (nothing after the '=') is bad usage, as `--NAME ''` is. CLI11 reads it as a bare
// `--NAME`: an option that takes a value took the next word for it (`demo semaphore
// --variant= --fast` ran variant '--fast'), and a switch was turned off. `args` are normalised.
void refuse_empty_equals(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* command = args.empty() ? nullptr : subcommand(app, args[0]);
  if (command && args[0] == "demo" && args.size() > 1) command = subcommand(*command, args[1]);
  if (!command) return;
  for (const auto& a : args) {
    if (a == "--") return;  // the rest are positional
    if (!a.starts_with("--") || a.find('=') != a.size() - 1) continue;
    std::string name = a.substr(0, a.size() - 1);
    const CLI::Option* option = command->get_option_no_throw(name);
    if (option && option->get_items_expected_max() > 0)
      throw UsageError(name + ": an empty value; leave the option out for its default");
    if (option)
      throw UsageError(name + ": an empty value; a switch takes none, write " + name);
  }
}

// The demos whose subcommands this run needs. Building all of them with their options was
// most of a start-up's work (`concur list` spent 60% of its instructions there), so `demo
// NAME` builds NAME's alone, `demo` without a demo (its help, a typo) builds them all, and the
// other commands none. `args` are normalised.
std::vector<const demos::Demo*> demos_needed(const std::vector<std::string>& args) {
  std::vector<const demos::Demo*> needed;
  if (args.empty() || args[0] != "demo") return needed;
  if (const demos::Demo* d = args.size() > 1 ? demos::find(args[1]) : nullptr) return {d};
  for (const auto& d : demos::table()) needed.push_back(&d);
  return needed;
}

// A usage error's one line: the commands quote input with repr(); printable() is for any
// that did not.
int usage_error(std::ostream& err, const UsageError& e) {
  err << "concur: " << printable(e.what()) << "\n";
  return kExitUsage;
}

}  // namespace

int run(const std::vector<std::string>& raw_args, std::ostream& out, std::ostream& err) {
  Io io{out, err};
  CLI::App app{"concur: the Python concurrency lecture's demos, re-enacted with real C++ threads.\n"
               "Every line is printed by the thread that does the thing, when it happens.",
               "concur"};
  app.set_version_flag("--version", std::string("concur ") + CONCUR_VERSION);
  app.require_subcommand(1);
  app.footer("Start with: concur list, then concur demo semaphore. Exit codes: 0 check held, 1 check failed, "
             "2 bad usage, 3 watchdog, 130 interrupted (143 SIGTERM, 129 SIGHUP, 131 SIGQUIT).");
  std::vector<std::string> args;
  try {
    args = normalise(raw_args);
  } catch (const UsageError& e) {
    return usage_error(err, e);
  }
  std::vector<std::unique_ptr<DemoOptions>> storage;
  add_list_command(app, io);
  add_demo_command(app, io, storage, demos_needed(args));
  add_explain_command(app, io);
  add_source_command(app, io);
  add_check_command(app, io);
  add_bench_command(app, io);

  try {
    refuse_empty_equals(app, args);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    // CLI11's messages quote what was typed as it is: escaped here, so that they stay one line
    std::string what = printable(e.what());
    if (what.empty() || (e.get_name() == "RequiredError" && raw_args.empty()))
      what = "name a command; 'concur --help' shows them";
    err << "concur: " << what << "\n";
    return kExitUsage;
  } catch (const UsageError& e) {
    return usage_error(err, e);
  }
  return io.exit_code;
}

}  // namespace concur::cli
