// Daemon processes: a daemonic child is terminated when the main program ends; a
// non-daemonic one is waited for.
//
// Lecture 001 "Running a process in the background" (`background`, the default): foo()
// prints "Starting NAME", "---> i" once a second (0..4 for background_process, 5..9 for
// NO_background_process) and "Exiting NAME"; background_process is daemonic, and main
// ends right after starting both, so only NO_background_process's lines appear.
// `no-daemon`: the same with background_process.daemon = False: both run to the end.
// Tutorial 004 "Daemon processes in Python" (`hello`): a daemonic daemonProcess prints
// "Hello" every 2 s for ever beside nondaemonProcess ("starting my Process", 8 s,
// "ending my Process"); the daemon is terminated at once when main ends.
// Where the script ends, concur calls process::shutdown(): what Python does at exit
// (terminate the daemonic children, then join the others).
#include <signal.h>
#include <unistd.h>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using process::Process;

void foo() {
  const std::string& name = process::current_process_name();
  print("Starting {}", name);
  int first = name == "background_process" ? 0 : 5;
  for (int i = first; i < first + 5; ++i) {
    print("---> {}", i);
    time::sleep(1);
  }
  print("Exiting {}", name);
}

void nondaemonProcess() {
  print("starting my Process");
  time::sleep(8);
  print("ending my Process");
}

void daemonProcess() {
  while (true) {
    print("Hello");
    time::sleep(2);
  }
}

Check report(Process& daemonic, Process& other, bool daemon_killed_expected, double main_took, double work);

}  // namespace

Check run_daemon_process_hello(const Context&) {
  // One endless daemon, one 8-second worker; main ends right after starting them.
  Process nondaemon({.target = nondaemonProcess});
  Process daemon({.target = daemonProcess});
  daemon.set_daemon(true);
  nondaemon.set_daemon(false);
  double started = time::perf_counter();
  daemon.start();
  nondaemon.start();
  double main_took = time::perf_counter() - started;
  process::shutdown();  // the end of the script
  return report(daemon, nondaemon, true, main_took, 1e9);  // it never finishes
}

namespace {

// background and no-daemon: background_process is daemonic, or not (`daemonic`).
Check background_and_not(bool daemonic) {
  Process background_process({.target = foo, .name = "background_process"});
  background_process.set_daemon(daemonic);
  Process NO_background_process({.target = foo, .name = "NO_background_process"});
  NO_background_process.set_daemon(false);
  double started = time::perf_counter();
  background_process.start();
  NO_background_process.start();
  double main_took = time::perf_counter() - started;
  process::shutdown();  // the end of the script
  return report(background_process, NO_background_process, daemonic, main_took, 5);
}

}  // namespace

Check run_daemon_process_background(const Context&) { return background_and_not(/*daemonic=*/true); }
Check run_daemon_process_no_daemon(const Context&) { return background_and_not(/*daemonic=*/false); }

namespace {

// The daemon's fate after shutdown(): its exit code, and whether its PID is gone. foo() works
// 5 lecture seconds; if main took nearly that long to start both children (at --fast, on a
// slow or loaded machine, starting a process can), the daemon may have finished its work
// first and exit 0, as it would in Python. Else it must have been terminated.
Check report(Process& daemonic, Process& other, bool daemon_killed_expected, double main_took, double work) {
  int pid = daemonic.pid().value_or(0);
  bool reaped = pid > 0 && ::kill(pid, 0) != 0;
  bool killed = daemonic.exitcode() == -15;
  bool finished_first =
      daemon_killed_expected && daemonic.exitcode() == 0 && main_took > work - 1;  // a lecture second's margin
  bool fate_held = daemon_killed_expected ? killed || finished_first : daemonic.exitcode() == 0;
  bool held = reaped && other.exitcode() == 0 && fate_held;
  std::string how = killed           ? "terminated at the end of main"
                    : finished_first ? fmt::format("ran to the end: main took {:.1f} s to start both", main_took)
                                     : "ran to the end";
  return {held, fmt::format("{} exit code {} ({}), {} exit code {}; no child left running", daemonic.name(),
                            daemonic.exitcode().value_or(999), how, other.name(), other.exitcode().value_or(999))};
}

}  // namespace

}  // namespace concur::demos
