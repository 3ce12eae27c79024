// `concur demo NAME [--variant V] [options]`: run one demo.
#include <unistd.h>

#include <fmt/format.h>

#include <memory>

#include "cli/app.h"
#include "cli/run_demo.h"
#include "cli/census.h"
#include "cli/record.h"
#include "cli/terminal.h"
#include "cli/commands.h"
#include "cli/step.h"
#include "cli/trace_file.h"
#include "cli/usage_error.h"

namespace concur::cli {

std::vector<std::string> demo_names() {
  std::vector<std::string> names;
  for (const auto& d : demos::table()) names.push_back(d.name);
  return names;
}

const demos::Demo& demo_or_usage_error(const std::string& name) {
  if (const demos::Demo* d = demos::find(name)) return *d;
  throw UsageError("unknown demo '" + name + "'" + did_you_mean(name, demo_names()) +
                   "; 'concur list' shows the demos");
}

namespace {

// The command line a cast's header names: the run again (demo, variant, seed) and the views
// that change what the cast shows (--live's panel, --step's prompts, --narrate's sentences,
// --timeline's chart, --deterministic's schedule).
std::string recorded_command(const demos::Demo& demo, const DemoSettings& settings) {
  std::string command =
      fmt::format("concur demo {} --variant {} --seed {}", demo.name, settings.context.variant, settings.run.seed);
  if (settings.run.deterministic) command += " --deterministic";
  if (settings.step) command += " --step";
  if (settings.narrate) command += " --narrate";
  if (settings.timeline) command += " --timeline";
  if (settings.live) command += " --live";
  return command;
}

}  // namespace

void add_demo_command(CLI::App& app, Io& io, std::vector<std::unique_ptr<DemoOptions>>& storage,
                      const std::vector<const demos::Demo*>& demos) {
  auto* sub = app.add_subcommand("demo", "run a demo (also: concur NAME ...)");
  sub->require_subcommand(1);
  for (const demos::Demo* entry : demos) {
    const demos::Demo& demo = *entry;
    auto* d = sub->add_subcommand(demo.name, demo.summary);
    storage.push_back(std::make_unique<DemoOptions>());
    DemoOptions& opts = *storage.back();
    add_demo_options(*d, demo, opts);
    d->callback([&io, &demo, &opts] {
      DemoSettings settings = validate(demo, opts);
      if (!settings.trace.empty() && !settings.record.empty() && same_output(settings.trace, settings.record))
        throw UsageError("--trace and --record: give each its own file, not both '" + settings.record + "'");
      if (settings.runs > 0) {
        io.exit_code = run_census(demo, settings, io.out, io.err);
        return;
      }
      // The streams the run writes to: the terminal's, or the recorder's, which pass
      // everything on and remember it (--step's prompts included) for the cast.
      std::unique_ptr<Recorder> recorder;
      std::ostream* out = &io.out;
      std::ostream* err = &io.err;
      if (!settings.record.empty()) {
        auto [width, height] = terminal_size();
        recorder = std::make_unique<Recorder>(io.out, recorded_command(demo, settings), width, height);
        out = &recorder->stream();
        err = &recorder->tee(io.err);
      }
      std::unique_ptr<StepChooser> chooser;
      if (settings.step) {
        chooser = std::make_unique<StepChooser>(STDIN_FILENO, *err);
        settings.run.chooser = chooser.get();
      }
      io.exit_code = run_demo(demo, settings, *out, *err);
      if (!recorder) return;
      try {
        recorder->save(settings.record);
      } catch (const std::exception& e) {
        io.err << "concur: --record: " << e.what() << "\n";
        if (io.exit_code == kExitOk) io.exit_code = kExitCheckFailed;
      }
    });
  }
}

}  // namespace concur::cli
