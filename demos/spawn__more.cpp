// The spawn demo's other variants: more processes started by target name.
//
// Unit 003 "Workarounds to GIL Limitations" (`workers`): four processes, each with its own
// interpreter (its own GIL in Python), print "Worker process".
// Unit 003 "Example: Comparing Threading and Multiprocessing" (`compare`): compute_square(i)
// for i in range(5), first on five threads, then on five processes: the same lines
// "Square of i: i*i", printed by threads sharing one process, then by five processes.
// Tutorial 004 "Creating a process with Forkserver" (`forkserver`, prose in the lecture):
// a server process is started first; main asks it for each new process and the server
// forks it. Each child prints its pid and its parent's pid: the server's, not main's. The
// child exits 1 if its parent is not the server the main process was told about.
#include <unistd.h>

#include <list>
#include <memory>
#include <vector>

#include "core/concur.h"
#include "demos/spawn.h"

namespace concur::demos {

namespace spawn {

void gil_worker_function(const process::List&) { print("Worker process"); }

void compute_square(const process::List& args) {
  long long n = args.at(0).as_int();
  print("Square of {}: {}", n, n * n);
}

void forkserver_child(const process::List& args) {
  long long i = args.at(0).as_int(), server = args.at(1).as_int();
  print("Child process {}: pid {}, parent pid {}", i, os::getpid(), os::getppid());
  if (os::getppid() != server) throw ValueError("my parent is not the forkserver");
}

}  // namespace spawn

namespace {

// Start every process, then join them all; count those that exited 0.
int start_and_join(std::vector<std::unique_ptr<process::Process>>& processes) {
  for (auto& p : processes) p->start();
  int ok = 0;
  for (auto& p : processes) {
    p->join();
    ok += p->exitcode() == 0;
  }
  return ok;
}

}  // namespace

Check run_spawn_workers(const Context& ctx) {
  const std::string& method = ctx.choice("start-method");
  // processes = [Process(target=worker_function) for _ in range(4)]
  std::vector<std::unique_ptr<process::Process>> processes;
  for (int i = 0; i < 4; ++i)
    processes.push_back(std::make_unique<process::Process>(
        process::ProcessArgs{.target_name = "spawn.gil_worker_function", .start_method = method}));
  int ok = start_and_join(processes);
  return {ok == 4, fmt::format("{}/4 worker processes ({}) printed and exited with code 0", ok, method)};
}

Check run_spawn_compare(const Context& ctx) {
  const std::string& method = ctx.choice("start-method");
  // Threading example: five threads in this process.
  std::list<Thread> threads;
  for (int i = 0; i < 5; ++i)
    threads.emplace_back(ThreadArgs{.target = [i] { spawn::compute_square({i}); }, .target_name = "compute_square"});
  for (Thread& t : threads) t.start();
  for (Thread& t : threads) t.join();

  // Multiprocessing example: five processes.
  std::vector<std::unique_ptr<process::Process>> processes;
  for (int i = 0; i < 5; ++i)
    processes.push_back(std::make_unique<process::Process>(
        process::ProcessArgs{.target_name = "spawn.compute_square", .args = {i}, .start_method = method}));
  int ok = start_and_join(processes);
  return {ok == 5, fmt::format("five threads, then {}/5 processes ({}) computed their squares and exited with code 0",
                               ok, method)};
}

Check run_spawn_forkserver(const Context&) {
  // The server is started first; every process is then forked by it on request.
  int server = process::forkserver_pid();
  print("Main process: pid {}", os::getpid());
  print("Forkserver: pid {}", server);
  std::vector<std::unique_ptr<process::Process>> processes;
  for (int i = 0; i < 3; ++i)
    processes.push_back(std::make_unique<process::Process>(process::ProcessArgs{
        .target_name = "spawn.forkserver_child", .args = {i, server}, .start_method = "forkserver"}));
  int ok = start_and_join(processes);
  return {ok == 3, fmt::format("{}/3 children found the forkserver (pid {}) as their parent, not main (pid {})", ok,
                               server, os::getpid())};
}

}  // namespace concur::demos
