// The process tests' probe targets: tiny functions a child process runs by name, registered
// by this test program's main (test_main.cpp) before anything else, so that a spawn or
// forkserver child — this program run again as `concur_tests __child ...` — finds them too.
// The concur program has none of them.
//   "test.probe.print"   prints each argument (str), one line each
//   "test.probe.name"    prints current_process_name()
//   "test.probe.ppid"    prints getppid()
//   "test.probe.fail"    raises ValueError(arg 0, or "")
//   "test.probe.sleep"   sleeps arg 0 lecture seconds
//   "test.probe.global"  prints "probe global = N", N being probe_global_value()
//   "test.probe.exit"    leaves at once with _exit(arg 0), after flushing its output
#pragma once

namespace concur::testing {

// Registers the probes with process::register_target.
void register_probe_targets();

// A plain global "test.probe.global" prints: a test changes it in the parent before start()
// and sees whether the child shares the parent's memory image (fork) or starts from a fresh
// one (spawn).
int& probe_global_value();

// The program a spawned child or a forkserver runs for the process tests: this test program
// (its main knows `__child` and the probes), whatever another test set before.
inline constexpr const char* kProbeExecutable = "/proc/self/exe";

}  // namespace concur::testing
