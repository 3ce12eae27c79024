// Every function a demo runs in a child process, registered by name so that a spawned
// child (a fresh program image) can find it: process::register_target(name, fn).
#include "demos/process_targets.h"

#include "core/concur.h"
#include "demos/pool.h"
#include "demos/spawn.h"

namespace concur::demos {

void register_process_targets() {
  // spawn: lecture 001, tutorial 004, unit 003.
  process::register_target("spawn.myFunc", spawn::myFunc);
  process::register_target("spawn.spawn_process", spawn::spawn_process);
  process::register_target("spawn.worker_function", spawn::worker_function);
  process::register_target("spawn.gil_worker_function", spawn::gil_worker_function);
  process::register_target("spawn.compute_square", spawn::compute_square);
  process::register_target("spawn.forkserver_child", spawn::forkserver_child);

  // pool: the functions ProcessPoolExecutor and multiprocessing.Pool workers call by name.
  process::register_function("pool.square_num", pool::square_num);
  process::register_function("pool.task", pool::task);
  process::register_function("pool.square", pool::square);
  process::register_function("pool.counting", pool::counting);
  process::register_function("pool.numbered_task", pool::numbered_task);
  process::register_function("pool.worker_function", pool::worker_function);
  process::register_function("pool.load_url", pool::load_url);
}

}  // namespace concur::demos
