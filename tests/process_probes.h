// What the process tests share: the probe targets, tiny functions a child process runs by
// name, registered by this test program's main (test_main.cpp) before anything else, so that
// a spawn or forkserver child — this program run again as `concur_tests __child ...` —
// finds them too (the concur program has none of them); the pool functions the pool and
// executor tests call; and two checks on children.
//   "test.probe.print"   prints each argument (str), one line each
//   "test.probe.name"    prints current_process_name()
//   "test.probe.ppid"    prints getppid()
//   "test.probe.fail"    raises ValueError(arg 0, or "")
//   "test.probe.sleep"   sleeps arg 0 lecture seconds
//   "test.probe.global"  prints "probe global = N", N being probe_global_value()
//   "test.probe.start_method"  prints get_start_method(); with arg 0 = 1, then starts a
//                        child of its own (default method) running it with 0, and joins it
//   "test.probe.exit"    leaves at once with _exit(arg 0), after flushing its output
// The pool functions (process::register_function), each returning its result:
//   "test.square"        arg 0 squared
//   "test.sleep_then"    sleeps arg 0 lecture seconds, then returns arg 1
//   "test.pid"           the worker's pid
//   "test.name"          the worker's current_process_name()
#pragma once

namespace concur::testing {

// Registers the probe targets and the pool functions.
void register_probes();

// A plain global "test.probe.global" prints: a test changes it in the parent before start()
// and sees whether the child shares the parent's memory image (fork) or starts from a fresh
// one (spawn).
int& probe_global_value();

// The program a spawned child or a forkserver runs for the process tests: this test program
// (its main knows `__child` and the probes), whatever another test set before.
inline constexpr const char* kProbeExecutable = "/proc/self/exe";

// No child of this test process has exited without being reaped.
bool no_zombie();

// The process `pid` is gone for good (exited and reaped).
bool gone(int pid);

}  // namespace concur::testing
