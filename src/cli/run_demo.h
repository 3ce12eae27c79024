// Running one demo: the run's begin and end around the demo's run function, the watchdog
// (--timeout), the "Watch:" and check lines, the views of the run (--trace, --timeline,
// --narrate), and the exit code (cli/app.h) of how it ended.
#pragma once

#include <ostream>

#include "cli/demo_options.h"
#include "demos/demo.h"

namespace concur::cli {

// Runs `demo` with `settings`, printing to out/err. Fills `check` (when not null) with the
// demo's closing check. Returns the exit code (app.h).
int run_demo(const demos::Demo& demo, const DemoSettings& settings, std::ostream& out, std::ostream& err,
             demos::Check* check = nullptr);

}  // namespace concur::cli
