// multiprocessing.Process: a child process with Python's names, start methods, join,
// terminate and exit codes.
//
// Names: `Process-N` (or `CLASS-N` with args.class_name, as a subclass gets), the counter
// advancing on every construction, named or not, from 1 in each run; a child's own children
// are `Process-1:1`. The parent is `MainProcess`; current_process_name() in a child is its
// Process's name.
//
// Start methods (set_start_method, once per run; the default is "fork"; see also
// forkserver.h). A child's own default is its start method, as Python's _bootstrap forces
// it: get_start_method() in a spawn child says "spawn" (whatever its parent's default),
// and that child's own children are spawned too.
//   - "fork": fork(); the child runs the target and leaves with _exit after flushing. The
//     core's own locks are held across fork() (Runtime::ForkGuard), so the child never
//     inherits one locked by a thread it does not have.
//   - "spawn": posix_spawn of the concur executable (/proc/self/exe unless set_executable)
//     with a hidden first argument `__child`: a fresh program image. The child finds its
//     target by NAME in the table filled by register_target(), and gets its arguments as
//     codec.h bytes on its standard input.
//   - "forkserver": a one-thread server process (spawned on first use, living as long as
//     the program) forks each child on request; targets by name, as for spawn. The
//     server reaps the child and sends its exit code back on a pipe.
// A child's stdout and stderr are pipes the parent relays, whole lines, to the run's
// output, so children print like threads do (and tests capture them in-process): one relay
// thread per process for all its children (relay.h).
//
// join(timeout) waits on a pidfd through the seam (Scheduler::wait_fd): a stopped run (watchdog,
// Ctrl-C) is noticed; the child is then terminated and reaped and join throws ThreadExit.
// exitcode: empty while running, 0, -SIGNAL when killed (-15 after terminate()), 1 after an
// uncaught error, which the child reports on stderr as `Process NAME:` and the error.
// The destructor, like interpreter exit, terminates a daemon child (or any child of a
// stopped run) and joins a non-daemon one; every child is reaped.
// No child outlives the program, however it ends: a child started from the main thread
// gets SIGKILL when its parent dies (PR_SET_PDEATHSIG), SIGKILL of concur included; the
// forkserver and its children die with the program through its life pipe (forkserver.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/fd.h"
#include "core/process/codec.h"

namespace concur::process {

namespace relay {
struct Lines;
}

// A function a child can run, found by name (spawn cannot carry a closure).
using TargetFn = void (*)(const List& args);
void register_target(const std::string& name, TargetFn fn);

// "fork", "spawn" or "forkserver"; a second call in the same run throws RuntimeError
// ("context has already been set"), and so does a call in a child (its method is set),
// an unknown method ValueError.
void set_start_method(const std::string& method);
std::string get_start_method();
// The program spawn starts (default /proc/self/exe); it must dispatch `__child` to child_main.
void set_executable(const std::string& path);

// The forkserver's pid, starting the server first if it is not running: its children's
// parent (getppid() in a forkserver child).
int forkserver_pid();

// At the program's end: stops the forkserver, if one was started, and reaps it, so the
// program leaves no process behind (Python's lives until the interpreter exits, too).
void stop_forkserver();

// The current process's name: "MainProcess", or the Process name in a child.
const std::string& current_process_name();

// A pidfd for child `pid` (close-on-exec): readable once the child has ended. Empty on a
// kernel without pidfd_open (before 5.3).
Fd open_pidfd(pid_t pid);

struct ProcessArgs {
  std::function<void()> target;  // a closure: fork only
  std::string target_name;       // a registered target, called with args (fork or spawn)
  List args;
  std::string name;                     // empty: CLASS-N
  std::string class_name = "Process";   // "MyProcess" gives MyProcess-N
  bool daemon = false;
  std::string start_method;  // empty: get_start_method()
};

class Process {
 public:
  explicit Process(ProcessArgs args = {});
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  virtual ~Process();

  void start();
  // Waits until the child ends, or until `timeout` lecture seconds pass (std::nullopt,
  // Python's None: for ever). A negative timeout waits not at all, as 0 (CPython 3.11:
  // Popen.wait hands it to connection.wait, whose selector treats it as 0). Returns either
  // way; exitcode() says which. AssertionError("can only join a started process") before
  // start().
  void join(std::optional<double> timeout = std::nullopt);
  bool is_alive();
  void terminate();  // SIGTERM
  void kill();       // SIGKILL

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  bool daemon() const { return daemon_; }
  void set_daemon(bool daemon);
  std::optional<int> pid() const;
  std::optional<int> exitcode();
  // Python's Process.sentinel: a descriptor that turns readable when the child ends (its
  // pidfd, or a forkserver child's status pipe), for Scheduler::wait_fds. -1 before start()
  // and once the exit code is known (the descriptor is closed then).
  int sentinel() const;

 protected:
  // What the child runs: by default the target. A subclass overrides it (fork only).
  virtual void run();

 private:
  bool reap(bool block);  // with mu_ held; true once the exit code is known
  void signal(int sig);
  void start_fork();
  void start_child();
  void start_spawn();
  void start_forkserver();
  void child_after_fork(Fd out, Fd err, Fd link);
  // Hands the child's output pipes to the relay (relay.h; with mu_ held); if it cannot
  // take them, the child is killed and reaped and OSError thrown.
  void start_relay(Fd out, Fd err);
  // With mu_ held, once the child has ended: its last lines are copied out (relay::finish).
  void finish_relay();

  ProcessArgs args_;
  std::string name_;
  std::string identity_;  // "1", or "1:2" for a grandchild
  bool daemon_;
  std::string method_;
  mutable std::mutex mu_;
  pid_t pid_ = 0;
  long virtual_pid_ = 0;  // in a deterministic run: the pid it shows (deterministic.h)
  Fd pidfd_;  // a pidfd, or a forkserver child's status pipe: its sentinel
  std::optional<int> exitcode_;
  std::shared_ptr<relay::Lines> lines_;  // the child's stdout/stderr, as the relay copies them
};

// multiprocessing.active_children(): the started children still running, in start order.
std::vector<Process*> active_children();

// What Python does when the main program ends: terminate every daemonic child still
// running, then join every child. Call it from the thread that owns the Process objects,
// at the point where the lecture's script ends.
void shutdown();

// The entry of a spawned child: `concur __child TARGET NAME IDENTITY DAEMON SCALE SEED
// PARENT`, arguments on stdin; PARENT (a pid, or 0) is the process it dies with. Returns the exit code.
int child_main(int argc, char** argv);

}  // namespace concur::process
