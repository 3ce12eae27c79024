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

#include "concur.h"
#include "demos.h"

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

// The daemon's fate after shutdown(): its exit code, and whether its PID is gone.
Check report(Process& daemonic, Process& other, bool daemon_killed_expected) {
  int pid = daemonic.pid().value_or(0);
  bool reaped = pid > 0 && ::kill(pid, 0) != 0;
  bool killed = daemonic.exitcode() == -15;
  bool held = reaped && other.exitcode() == 0 && killed == daemon_killed_expected &&
              (daemon_killed_expected || daemonic.exitcode() == 0);
  return {held, fmt::format("{} exit code {} ({}), {} exit code {}; no child left running",
                            daemonic.name(), daemonic.exitcode().value_or(999),
                            killed ? "terminated at the end of main" : "ran to the end", other.name(),
                            other.exitcode().value_or(999))};
}

}  // namespace

Check run_daemon_process(const Context& ctx) {
  if (ctx.variant == "hello") {
    // One endless daemon, one 8-second worker; main ends right after starting them.
    Process nondaemon({.target = nondaemonProcess});
    Process daemon({.target = daemonProcess});
    daemon.set_daemon(true);
    nondaemon.set_daemon(false);
    daemon.start();
    nondaemon.start();
    process::shutdown();  // the end of the script
    return report(daemon, nondaemon, true);
  }
  // background_process is daemonic unless the variant says otherwise.
  Process background_process({.target = foo, .name = "background_process"});
  background_process.set_daemon(ctx.variant == "background");
  Process NO_background_process({.target = foo, .name = "NO_background_process"});
  NO_background_process.set_daemon(false);
  background_process.start();
  NO_background_process.start();
  process::shutdown();  // the end of the script
  return report(background_process, NO_background_process, ctx.variant == "background");
}

}  // namespace concur::demos
