// Process.terminate(): stopping a child from outside, which Python cannot do to a thread.
//
// Unit 003 "Example: Terminating a Process" (`loop`, the default): worker() prints
// "Running..." every second for ever; main sleeps 5 s, calls p.terminate(), p.join() and
// prints "Process terminated".
// Tutorial 004 "Terminating processes in Python" (`early`): Child_process would print
// "Starting function", sleep 5 s and print "Finished function"; main prints "My Process
// has terminated, terminating main thread", "Terminating Child Process", terminates it at
// once and prints "Child Process successfully terminated". The child usually dies before
// it prints anything, and never reaches "Finished function".
// terminate() sends SIGTERM; the exit code then reads -15.
#include "concur.h"
#include "demos.h"

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

}  // namespace

Check run_terminate(const Context& ctx) {
  if (ctx.variant == "loop") {
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
  // Start the child and terminate it at once; join to reap it.
  Process P({.target = Child_process});
  P.start();
  print("My Process has terminated, terminating main thread");
  print("Terminating Child Process");
  P.terminate();
  P.join();
  print("Child Process successfully terminated");
  return {P.exitcode() == -15,
          fmt::format("the child was killed by SIGTERM before finishing: exit code {}", P.exitcode().value_or(0))};
}

}  // namespace concur::demos
