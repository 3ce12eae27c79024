// The concur command line: `list`, `demo`, `explain`, `source`, `check`, `bench`.
//
// `run` is the whole program minus process set-up, so tests can drive it in-process and
// capture what it writes. Exit codes: 0 the demo's check held, 1 it did not, 2 bad usage,
// 3 the watchdog stopped the demo; a run stopped by a signal, 128 + the signal (130 Ctrl-C,
// 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT, 141 a closed standard output).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/runtime.h"

namespace concur::cli {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitWatchdog = 3;
constexpr int kExitInterrupted = 130;

// The exit code of a run the core stopped for `why` (kNone: 0), and the stop a signal
// asks for (SIGINT, SIGTERM, SIGHUP, SIGQUIT).
int exit_code(StopReason why);
StopReason stop_for_signal(int sig);
// One word for the stderr line of a stopped run: "interrupted", "hung up", "quit".
const char* stop_word(StopReason why);

// Runs `concur ARGS...` (args exclude the program name); returns the exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace concur::cli
