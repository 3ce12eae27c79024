// The spawn demo's child functions, registered by name in process_targets.cpp so that a
// spawned child (a fresh program image) can find them.
#pragma once

#include "core/concur.h"
#include "demos/demo.h"

namespace concur::demos::spawn {

void myFunc(const process::List& args);
void spawn_process(const process::List& args);
void worker_function(const process::List& args);
void gil_worker_function(const process::List& args);
void compute_square(const process::List& args);
void forkserver_child(const process::List& args);

}  // namespace concur::demos::spawn

namespace concur::demos {

// spawn__more.cpp: 003 "Workarounds to GIL Limitations" (`workers`), 003 "Example:
// Comparing Threading and Multiprocessing" (`compare`), 004 "Creating a process with
// Forkserver" (`forkserver`).
Check run_spawn_workers(const std::string& method);
Check run_spawn_compare(const std::string& method);
Check run_spawn_forkserver();

}  // namespace concur::demos::spawn
