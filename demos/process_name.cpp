// Process names and ids: multiprocessing.current_process() inside and outside a child.
//
// Lecture 001 "Naming a process" (`naming`, the default): myFunc prints "Starting process
// name = NAME", sleeps 3 s and prints "Exiting process name = NAME"; one process is named
// "myFunc process", the other keeps its default name, "Process-2" (the counter advanced
// for the named one too).
// Tutorial 004 "Identifying the current process in Python" (`pid-only`): its one-line
// snippet, print(multiprocessing.current_process().pid): the number alone, from main. Then
// (`pid`) its example: "PID of Main process is: 9401" from the parent, "PID of Child
// Process is: 9402" from the child (current_process().pid is getpid() in each).
// Tutorial 004 "Using a process in subclass" (`subclass`): class MyProcess(Process) whose
// run() prints "called run method in process: MyProcess-1" ... for five processes.
// The children are forked: a subclass's run() is code, not a name spawn could look up.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using process::Process;

void myFunc() {
  const std::string& name = process::current_process_name();
  print("Starting process name = {}", name);
  time::sleep(3);
  print("Exiting process name = {}", name);
}

void Child_process() { print("PID of Child Process is: {}", os::getpid()); }

class MyProcess : public Process {
 public:
  MyProcess() : Process(process::ProcessArgs{.class_name = "MyProcess"}) {}
  void run() override { print("called run method in process: {}", name()); }
};

Check all_exited(const std::vector<Process*>& processes, const std::string& names);

}  // namespace

Check run_process_name_naming(const Context&) {
  // One process named explicitly, one with its default name; both run myFunc.
  Process process_with_name({.target = myFunc, .name = "myFunc process"});
  Process process_with_default_name({.target = myFunc});
  process_with_name.start();
  process_with_default_name.start();
  process_with_name.join();
  process_with_default_name.join();
  bool names = process_with_name.name() == "myFunc process" && process_with_default_name.name() == "Process-2";
  Check c = all_exited({&process_with_name, &process_with_default_name},
                       fmt::format("names '{}' and '{}'", process_with_name.name(), process_with_default_name.name()));
  return {c.held && names, c.message};
}

Check run_process_name_pid_only(const Context& ctx) {
  // The current process's PID, and nothing else: here the current process is MainProcess.
  long long pid = os::getpid();
  print("{}", pid);
  // A deterministic run prints a virtual pid, the same in every run: the kernel's differs.
  if (ctx.deterministic)
    return {process::current_process_name() == "MainProcess",
            fmt::format("printed {}, the virtual PID of {}, which ran the print", pid, process::current_process_name())};
  // The check asks the kernel again, by another road: /proc/self names the calling process.
  std::error_code error;
  std::string self = std::filesystem::read_symlink("/proc/self", error).string();
  bool same = !error && self == std::to_string(pid) && process::current_process_name() == "MainProcess";
  return {same, fmt::format("printed {}, the PID of {}, which ran the print (/proc/self: {})", pid,
                            process::current_process_name(), error ? error.message() : self)};
}

Check run_process_name_pid(const Context&) {
  // The main process's PID, then a child's.
  print("PID of Main process is: {}", os::getpid());
  Process P({.target = Child_process});
  P.start();
  P.join();
  bool differs = P.pid() && *P.pid() != os::getpid();
  Check c = all_exited({&P}, fmt::format("main PID {}, child PID {}", os::getpid(), P.pid().value_or(0)));
  return {c.held && differs && process::current_process_name() == "MainProcess", c.message};
}

Check run_process_name_subclass(const Context&) {
  // Five MyProcess objects started; the last one joined (the rest at the end).
  std::vector<std::unique_ptr<MyProcess>> jobs;
  for (int i = 0; i < 5; ++i) {
    jobs.push_back(std::make_unique<MyProcess>());
    jobs.back()->start();
  }
  jobs.back()->join();
  std::vector<Process*> all;
  bool names = true;
  for (int i = 0; i < 5; ++i) {
    jobs[i]->join();
    names = names && jobs[i]->name() == fmt::format("MyProcess-{}", i + 1);
    all.push_back(jobs[i].get());
  }
  Check c = all_exited(all, names ? "named MyProcess-1 .. MyProcess-5" : "names out of order");
  return {c.held && names, c.message};
}

namespace {

// Every process ended with exit code 0.
Check all_exited(const std::vector<Process*>& processes, const std::string& names) {
  int ok = 0;
  for (Process* p : processes) ok += p->exitcode() == 0 ? 1 : 0;
  return {ok == static_cast<int>(processes.size()),
          fmt::format("{}; {}/{} children exited with code 0", names, ok, processes.size())};
}

}  // namespace

}  // namespace concur::demos
