// daemon: a daemon thread is not waited for; the end of the program stops it wherever it is.
//
// 002 "Daemon Threads" (`background`): background_task() prints "Background task is
// running..." every second, for ever; main sleeps 3 s, prints "Main program exiting..." and
// ends. 003 "Daemon Threads" (`daemon`): daemon_thread() prints, sleeps 1 s and would print
// again, for ever; main prints "Main program exiting." at once. 004 "Daemon threads in
// Python" (`hello`): a daemon prints Hello every 2 s beside a non-daemon thread that sleeps
// 8 s; the program ends when the non-daemon thread does.
//
// Python's exit waits for the non-daemon threads and abandons the daemon ones. Here each
// lecture program is one block: its end is the program's end, where the daemon's Thread
// object goes out of scope. Its destructor does what Python's exit does: it stops the
// daemon at its next sleep instead of waiting for a loop that never ends (nobody calls
// join()). The check: the daemon was still alive when main finished, and it was stopped
// by that end; the runtime counts a daemon once it has unwound that way.
#include <atomic>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// What one run's threads did, for the check (not part of the lecture). The run function
// owns it, made before its threads, which are stopped or joined before it goes.
struct Tally {
  std::atomic<int> lines{0};                // lines the daemon printed
  std::atomic<bool> nondaemon_ended{false};  // hello: the non-daemon thread finished
};

Check stopped_by_exit(bool alive_at_exit, int stopped, const std::string& what);

// 002: a background task that never ends by itself.
void background_task(Tally& tally) {
  while (true) {
    print("Background task is running...");
    ++tally.lines;
    time::sleep(1);
  }
}

}  // namespace

Check run_daemon_background(const Context&) {
  Tally tally;
  int stopped_before = runtime().daemons_stopped_at_exit();
  bool alive_at_exit = false;
  {
    // Create a daemon thread
    Thread daemon_thread({.target = [&] { background_task(tally); }, .target_name = "background_task", .daemon = true});
    daemon_thread.start();

    // Main works for 3 s, then exits
    time::sleep(3);
    print("Main program exiting...");
    alive_at_exit = daemon_thread.is_alive();
  }  // the program's end: the daemon is stopped at its next sleep, not joined
  int stopped = runtime().daemons_stopped_at_exit() - stopped_before;
  return stopped_by_exit(alive_at_exit, stopped,
                         fmt::format("Background task is running... printed {} times", tally.lines.load()));
}

namespace {

// 003: an endless loop whose second print the exit usually cuts off.
void daemon_thread(Tally& tally) {
  while (true) {
    print("Daemon thread is running.");
    ++tally.lines;
    time::sleep(1);
    print("Daemon thread finished executing.");
    ++tally.lines;
  }
}

}  // namespace

Check run_daemon_daemon(const Context&) {
  Tally tally;
  int stopped_before = runtime().daemons_stopped_at_exit();
  bool alive_at_exit = false;
  {
    // A daemon thread, and main exits at once
    Thread thread1({.target = [&] { daemon_thread(tally); }, .target_name = "daemon_thread", .daemon = true});
    thread1.start();
    print("Main program exiting.");
    alive_at_exit = thread1.is_alive();
  }  // the program's end: the daemon is stopped at its next sleep, not joined
  int stopped = runtime().daemons_stopped_at_exit() - stopped_before;
  return stopped_by_exit(alive_at_exit, stopped, fmt::format("lines it printed: {}", tally.lines.load()));
}

namespace {

// 004: the non-daemon thread sleeps 8 s; the daemon says Hello every 2 s, for ever.
void nondaemonThread(Tally& tally) {
  print("starting my thread");
  time::sleep(8);
  print("ending my thread");
  tally.nondaemon_ended = true;
}

void daemonThread(Tally& tally) {
  while (true) {
    print("Hello");
    ++tally.lines;
    time::sleep(2);
  }
}

}  // namespace

Check run_daemon_hello(const Context&) {
  Tally tally;
  int stopped_before = runtime().daemons_stopped_at_exit();
  bool alive_at_exit = false;
  {
    // Two threads; only daemonThread is a daemon (setDaemon(True))
    Thread nondaemon_thread({.target = [&] { nondaemonThread(tally); }, .target_name = "nondaemonThread"});
    Thread daemon_thread({.target = [&] { daemonThread(tally); }, .target_name = "daemonThread"});
    daemon_thread.set_daemon(true);
    daemon_thread.start();
    nondaemon_thread.start();

    // Main's code ends here. Python's exit first waits for the non-daemon thread...
    nondaemon_thread.join();
    alive_at_exit = daemon_thread.is_alive();
  }  // ...then the program ends: the daemon is stopped at its next sleep, not joined
  int stopped = runtime().daemons_stopped_at_exit() - stopped_before;
  if (!tally.nondaemon_ended) return {false, "the program ended before the non-daemon thread did"};
  return stopped_by_exit(
      alive_at_exit, stopped,
      fmt::format("main waited for the non-daemon thread's 8 s; Hello printed {} times", tally.lines.load()));
}

namespace {

// The check every variant closes with.
Check stopped_by_exit(bool alive_at_exit, int stopped, const std::string& what) {
  if (!alive_at_exit) return {false, "the daemon had already ended when main finished"};
  if (stopped != 1) return {false, fmt::format("{} daemons were stopped by the exit, expected 1", stopped)};
  return {true, fmt::format("the daemon was still running when main finished and was stopped by the exit, "
                            "not joined ({})",
                            what)};
}

}  // namespace

}  // namespace concur::demos
