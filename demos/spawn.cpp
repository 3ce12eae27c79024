// Starting processes: multiprocessing.Process(target=..., args=(i,)), start(), join().
//
// Lecture 001 "Multiprocessing: spawning a process" (`myfunc`, the default): six processes
// one after the other, each started and joined before the next; process i prints "calling
// myFunc from process n°: i" then "output from myFunc is :j" for j < i.
// Tutorial 004 "Creating a process with Spawn" (`tutorial`): three processes print "This is
// process: i"; the lecture joins only the last one (the others are joined when the
// program ends, as Python does at exit).
// Unit 003 "Example: Creating and Starting Processes" (`start`): four processes started
// first, then joined; each prints "Process i is running".
// --start-method spawn (default) runs each child as a fresh image of concur (`concur
// __child ...`) that finds its function by name and gets i as bytes; --start-method fork
// copies the parent instead; --start-method forkserver has a one-thread server process
// fork each child. The child's lines reach the terminal through the parent.
// The parts in spawn__more.cpp: `workers`, `compare` and `forkserver`.
#include <memory>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/spawn.h"

namespace concur::demos {

namespace spawn {

void myFunc(const process::List& args) {
  long long i = args.at(0).as_int();
  print("calling myFunc from process n°: {}", i);
  for (long long j = 0; j < i; ++j) print("output from myFunc is :{}", j);
}

void spawn_process(const process::List& args) { print("This is process: {}", args.at(0).as_int()); }

void worker_function(const process::List& args) { print("Process {} is running", args.at(0).as_int()); }

}  // namespace spawn

namespace {

using Processes = std::vector<std::unique_ptr<process::Process>>;

std::unique_ptr<process::Process> make(const std::string& target, int i, const std::string& method) {
  return std::make_unique<process::Process>(
      process::ProcessArgs{.target_name = target, .args = {i}, .start_method = method});
}

Check all_reaped(Processes& processes, const std::string& method);

}  // namespace

Check run_spawn_myfunc(const Context& ctx) {
  const std::string& method = ctx.choice("start-method");
  Processes processes;
  // for i in range(6): start a process and wait for it before the next.
  for (int i = 0; i < 6; ++i) {
    processes.push_back(make("spawn.myFunc", i, method));
    processes.back()->start();
    processes.back()->join();
  }
  return all_reaped(processes, method);
}

Check run_spawn_tutorial(const Context& ctx) {
  const std::string& method = ctx.choice("start-method");
  Processes processes;
  // Three processes started; only the last one is joined here.
  for (int i = 0; i < 3; ++i) {
    processes.push_back(make("spawn.spawn_process", i, method));
    processes.back()->start();
  }
  processes.back()->join();
  return all_reaped(processes, method);
}

Check run_spawn_start(const Context& ctx) {
  const std::string& method = ctx.choice("start-method");
  Processes processes;
  // Four processes made, all started, then all joined.
  for (int i = 0; i < 4; ++i) processes.push_back(make("spawn.worker_function", i, method));
  for (auto& p : processes) p->start();
  for (auto& p : processes) p->join();
  return all_reaped(processes, method);
}

namespace {

// Every child exited 0 (joining those the lecture leaves to the end of the program).
Check all_reaped(Processes& processes, const std::string& method) {
  int ok = 0;
  for (auto& p : processes) {
    p->join();
    if (p->exitcode() == 0) ++ok;
  }
  return {ok == static_cast<int>(processes.size()),
          fmt::format("{}/{} children ({}) exited with code 0 and were reaped", ok, processes.size(), method)};
}

}  // namespace

}  // namespace concur::demos
