// os.fork(): one program becomes two processes, each printing its own PID.
//
// Tutorial 004 "Creating a process with Fork": child() calls os.fork(); in the parent
// fork() returns the child's PID and it prints "PID of Parent process is :  25989", in the
// child it returns 0 and the child prints "PID of Child process is :  25990". Here the
// fork is the core's Process with the fork start method: a real fork() whose child runs
// the child's branch and leaves with _exit. The child also sends (its pid, its parent's
// pid) back over a one-way Pipe so the check can see the family tree, and the parent
// reaps the child with join().
#include <unistd.h>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

// The child's branch of `if n > 0 ... else`: print its PID, report its family.
void child_branch(process::Connection& report) {
  print("PID of Child process is :  {}", os::getpid());
  report.send(process::List{static_cast<long long>(os::getpid()), static_cast<long long>(os::getppid())});
}

}  // namespace

Check run_fork_fork(const Context&) {
  // n = os.fork(): from here on there are two processes.
  auto [from_child, to_parent] = process::Pipe(false);
  process::Process child({.target = [&] { child_branch(to_parent); }, .start_method = "fork"});
  child.start();
  to_parent.close();  // the parent keeps only the read end

  // The parent's branch: fork() returned the child's PID.
  print("PID of Parent process is :  {}", os::getpid());

  // Read the child's report, then reap it (join waits for its exit status).
  process::List family = from_child.recv().as_list();
  child.join();
  long long child_pid = family.at(0).as_int(), childs_parent = family.at(1).as_int();
  bool held = child_pid != os::getpid() && child_pid == *child.pid() && childs_parent == os::getpid() &&
              child.exitcode() == 0;
  return {held, fmt::format("child PID {} differs from parent PID {}; the child's parent is {}; "
                            "the child was reaped with exit code {}",
                            child_pid, os::getpid(), childs_parent, child.exitcode().value_or(-999))};
}

}  // namespace concur::demos
