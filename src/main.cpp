// concur's entry point: process set-up (signals) around the command line in cli/app.h.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/app.h"
#include "demos/process_targets.h"
#include "process/process.h"
#include "runtime.h"

namespace {

// Ctrl-C, SIGTERM, SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\) are taken by one
// thread with sigwait: it stops the run (every wait and sleep then unwinds its thread), and
// the demo ends with exit 128 + the signal (130, 143, 129, 131). A second signal, or a demo
// that ignores the stop for 5 s, ends the process at once. Children die with concur in any
// case (process.h), so even SIGKILL leaves none behind.
void start_signal_thread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started later
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    int code = 128 + sig;
    concur::runtime().cancel(code);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    timespec ts{0, 100'000'000};
    while (std::chrono::steady_clock::now() < deadline) {
      if (sigtimedwait(&set, nullptr, &ts) > 0) break;
    }
    _exit(code);
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  // The functions a spawned child may run, by name; then a spawned child (`concur __child
  // ...`, started by process::Process with the spawn method) runs its target and leaves.
  concur::demos::register_process_targets();
  if (argc > 1 && std::string(argv[1]) == "__child") return concur::process::child_main(argc, argv);
  start_signal_thread();
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = concur::cli::run(args, std::cout, std::cerr);
  concur::process::stop_forkserver();  // reaped, not left to init
  std::cout.flush();
  return code;
}
