// The concur command line: `list`, `demo`, `explain`, `source`, `check`.
//
// `run` is the whole program minus process set-up, so tests can drive it in-process and
// capture what it writes. Exit codes: 0 the demo's check held, 1 it did not, 2 bad usage,
// 3 the watchdog stopped the demo, 130 interrupted (143 on SIGTERM).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace concur::cli {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitWatchdog = 3;
constexpr int kExitInterrupted = 130;

// Runs `concur ARGS...` (args exclude the program name); returns the exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace concur::cli
