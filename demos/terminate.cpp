// Process.terminate(): stopping a child from outside, which Python cannot do to a thread.
//
// Unit 003 "Example: Terminating a Process" (`loop`, the default): worker() prints
// "Running..." every second for ever; main sleeps 5 s, calls p.terminate(), p.join() and
// prints "Process terminated".
// Tutorial 004 "Terminating processes in Python" (`early`): Child_process would print
// "Starting function", sleep 5 s and print "Finished function"; main prints "My Process
// has terminated, terminating main thread", "Terminating Child Process", terminates it at
// once and prints "Child Process successfully terminated". The child usually dies before
// it prints anything, and never reaches "Finished function" unless main took its 5 s to
// get to terminate().
// terminate() sends SIGTERM; the exit code then reads -15.
#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using process::Process;

void worker() {
  while (true) {
    print("Running...");
    time::sleep(1);
  }
}

void Child_process() {
  print("Starting function");
  time::sleep(5);
  print("Finished function");
}

Check early_fate(Process& P, double main_took);

}  // namespace

Check run_terminate_loop(const Context&) {
  // Start the endless worker, let it run 5 s, then stop it from outside.
  Process p({.target = worker});
  p.start();
  time::sleep(5);
  p.terminate();  // forcefully stop the process
  p.join();
  print("Process terminated");
  return {p.exitcode() == -15,
          fmt::format("the worker was killed by SIGTERM: exit code {}", p.exitcode().value_or(0))};
}

Check run_terminate_early(const Context&) {
  // Start the child and terminate it at once; join to reap it.
  Process P({.target = Child_process});
  double started = time::perf_counter();
  P.start();
  print("My Process has terminated, terminating main thread");
  print("Terminating Child Process");
  double main_took = time::perf_counter() - started;
  P.terminate();
  P.join();
  print("Child Process successfully terminated");
  return early_fate(P, main_took);
}

namespace {

// The child's fate: killed by SIGTERM (-15). It works 5 lecture seconds; if main took nearly
// that long to start it and reach terminate() (at --fast, starting a process under a
// sanitizer or on a loaded machine can), the child may have finished first and exited 0,
// as it would in Python. Else it must have been killed.
Check early_fate(Process& P, double main_took) {
  bool killed = P.exitcode() == -15;
  bool finished_first = P.exitcode() == 0 && main_took > 5 - 1;  // a lecture second's margin
  std::string how = killed ? "was killed by SIGTERM before finishing"
                    : finished_first
                        ? fmt::format("finished first, as main took {:.1f} s to reach terminate()", main_took)
                        : "was not killed by SIGTERM";
  return {killed || finished_first, fmt::format("the child {}: exit code {}", how, P.exitcode().value_or(0))};
}

}  // namespace

}  // namespace concur::demos
