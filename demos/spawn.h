// The spawn demo's child functions, registered by name in process_targets.cpp so that a
// spawned child (a fresh program image) can find them.
#pragma once

#include "concur.h"

namespace concur::demos::spawn {

void myFunc(const process::List& args);
void spawn_process(const process::List& args);
void worker_function(const process::List& args);

}  // namespace concur::demos::spawn
