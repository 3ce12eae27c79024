// The spawn demo's child functions, registered by name in process_targets.cpp so that a
// spawned child (a fresh program image) can find them.
#pragma once

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos::spawn {

void myFunc(const process::List& args);
void spawn_process(const process::List& args);
void worker_function(const process::List& args);
void gil_worker_function(const process::List& args);
void compute_square(const process::List& args);
void forkserver_child(const process::List& args);

}  // namespace concur::demos::spawn
