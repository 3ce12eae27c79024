// Every function a demo runs in a child process, registered by name so that a spawned
// child (a fresh program image) can find it: process::register_target(name, fn).
#include "demos/process_targets.h"

#include "concur.h"
#include "demos/spawn.h"

namespace concur::demos {

void register_process_targets() {
  // spawn: lecture 001, tutorial 004, unit 003.
  process::register_target("spawn.myFunc", spawn::myFunc);
  process::register_target("spawn.spawn_process", spawn::spawn_process);
  process::register_target("spawn.worker_function", spawn::worker_function);
}

}  // namespace concur::demos
