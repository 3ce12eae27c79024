// The process tests' probe targets (process_probes.h).
#include "process_probes.h"

#include <unistd.h>

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
void probe_global(const List&) { print("probe global = {}", probe_global_value()); }
void probe_exit(const List& args) {
  std::fflush(nullptr);
  std::cout.flush();
  ::_exit(static_cast<int>(args.at(0).as_int()));
}

}  // namespace

int& probe_global_value() {
  static int value = 0;
  return value;
}

void register_probe_targets() {
  process::register_target("test.probe.print", probe_print);
  process::register_target("test.probe.name", probe_name);
  process::register_target("test.probe.ppid", probe_ppid);
  process::register_target("test.probe.fail", probe_fail);
  process::register_target("test.probe.sleep", probe_sleep);
  process::register_target("test.probe.global", probe_global);
  process::register_target("test.probe.exit", probe_exit);
}

}  // namespace concur::testing
