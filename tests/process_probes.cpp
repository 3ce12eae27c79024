// The process tests' probe targets (process_probes.h).
#include "process_probes.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <iostream>

#include "core/concur.h"

namespace concur::testing {

namespace {

using process::List;
using process::Value;

void probe_print(const List& args) {
  for (const Value& v : args) print("{}", process::str(v));
}
void probe_name(const List&) { print("{}", process::current_process_name()); }
void probe_ppid(const List&) { print("{}", ::getppid()); }
void probe_fail(const List& args) { throw ValueError(args.empty() ? "" : process::str(args[0])); }
void probe_sleep(const List& args) { scheduler().sleep(args.at(0).as_float()); }
void probe_start_method(const List& args) {
  print("{}", process::get_start_method());
  if (args.empty() || args.at(0).as_int() == 0) return;
  process::Process child({.target_name = "test.probe.start_method", .args = {0}});  // the default method
  child.start();
  child.join();
}
void probe_global(const List&) { print("probe global = {}", probe_global_value()); }
void probe_exit(const List& args) {
  std::fflush(nullptr);
  std::cout.flush();
  ::_exit(static_cast<int>(args.at(0).as_int()));
}

Value square(const List& args) { return args.at(0).as_int() * args.at(0).as_int(); }
Value sleep_then(const List& args) {
  time::sleep(args.at(0).as_float());
  return args.at(1);
}
Value pid(const List&) { return static_cast<long long>(::getpid()); }
Value name(const List&) { return process::current_process_name(); }

}  // namespace

int& probe_global_value() {
  static int value = 0;
  return value;
}

void register_probes() {
  process::register_target("test.probe.print", probe_print);
  process::register_target("test.probe.name", probe_name);
  process::register_target("test.probe.ppid", probe_ppid);
  process::register_target("test.probe.fail", probe_fail);
  process::register_target("test.probe.sleep", probe_sleep);
  process::register_target("test.probe.global", probe_global);
  process::register_target("test.probe.start_method", probe_start_method);
  process::register_target("test.probe.exit", probe_exit);
  process::register_function("test.square", square);
  process::register_function("test.sleep_then", sleep_then);
  process::register_function("test.pid", pid);
  process::register_function("test.name", name);
}

bool no_zombie() {
  int status;
  return ::waitpid(-1, &status, WNOHANG) <= 0;
}

bool gone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace concur::testing
