#include "core/run.h"
#include "core/process/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <tuple>

#include "core/deterministic.h"
#include "core/errors.h"
#include "core/output.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"
#include "core/trace_children.h"
#include "core/wait_table.h"
#include "core/process/forkserver.h"
#include "core/process/relay.h"

extern char** environ;

namespace concur::process {

namespace {

// Per-process state of this layer. The start method and the children belong to a run:
// they are reset when a new run begins (Runtime::run_id changes).
struct Globals {
  std::mutex mu;
  std::map<std::string, TargetFn> targets;
  std::string executable = "/proc/self/exe";
  std::string current_name = "MainProcess";
  std::string identity;  // "" in the main process
  std::uint64_t run_id = 0;
  std::string method;  // "" = not set this run
  std::vector<Process*> active;  // started and not yet destroyed, in start order
};

Globals& globals() {
  static Globals* g = new Globals();  // never destroyed: children may still relay at exit
  return *g;
}

// Resets the per-run state when a new run has begun; call with g.mu held.
void sync_run(Globals& g) {
  std::uint64_t run = runtime().run_id();
  if (run != g.run_id) {
    g.run_id = run;
    g.method.clear();
    g.active.clear();
  }
}

// Python's context._force_start_method, as a child's _bootstrap calls it: the child's
// default context is its own start method, so get_start_method() there says it, its own
// children start with it, and set_start_method() there raises "context has already been set".
void force_start_method(const std::string& method) {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  sync_run(g);
  g.method = method;
}

void check_method(const std::string& m) {
  if (m != "fork" && m != "spawn" && m != "forkserver") throw ValueError("cannot find context for '" + m + "'");
}

// The child's side of a start: Python's process name, its run, its exit code.
int run_in_child(const std::string& name, const std::function<void()>& body) {
  trace::begin_child(name);  // when the parent's run records its children
  int code = 0;
  try {
    body();
  } catch (const PyError& e) {
    std::cerr << "Process " << name << ":\n" << e.type() << (e.what()[0] ? ": " : "") << e.what() << std::endl;
    code = 1;
  } catch (const std::exception& e) {
    std::cerr << "Process " << name << ":\n" << e.what() << std::endl;
    code = 1;
  } catch (const ThreadExit&) {
    code = 1;
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  trace::end_child();
  return code;
}

// A child never outlives its parent, however the parent ends (SIGKILL included): the
// kernel sends it SIGKILL when the parent goes. The parent-death signal follows the thread
// that forked, not the process, so it is asked for only when the parent's main thread made
// the child (every demo starts its processes there; pool workers and the Manager's server
// too). After asking, the child checks that the parent did not go before it asked.
void die_with_parent(pid_t parent) {
  if (parent <= 0) return;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
}

// The pid a child should die with: ours if the calling thread is our main thread, else 0.
pid_t parent_to_die_with() { return ::gettid() == ::getpid() ? ::getpid() : 0; }

// Default signal handling for a child: the parent blocks SIGINT/SIGTERM for its signal
// thread; a child must die of terminate()'s SIGTERM as Python's does.
void default_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    sigaddset(&set, sig);
    signal(sig, SIG_DFL);
  }
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

RunOptions child_options(const RunOptions& parent, const std::string& identity) {
  RunOptions o = parent;
  o.chooser = nullptr;  // a deterministic child's choices are its hub's
  o.turn_link = -1;
  // Each child gets its own random stream (Python reseeds `random` in a child), still
  // reproducible from --seed.
  std::uint64_t h = 1469598103934665603ull;
  for (char c : identity) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  o.seed = parent.seed ^ h;
  return o;
}

TargetFn find_target(const std::string& name) {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  auto it = g.targets.find(name);
  if (it == g.targets.end()) throw ValueError("no process target named '" + name + "'");
  return it->second;
}

// OSError as Python words a failed system call: "[Errno 11] Resource temporarily unavailable".
OSError os_error(int err) { return OSError(fmt::format("[Errno {}] {}", err, std::strerror(err))); }

// A pipe for a child's stdout, stderr or stdin: close-on-exec, so that no other child
// inherits it (a spawned child gets its end by dup2 onto 0, 1 or 2).
PipeEnds child_pipe() {
  PipeEnds p = make_pipe(O_CLOEXEC);
  if (!p.read) throw os_error(errno);
  return p;
}

// Where a spawned child of a deterministic run finds its link to the run's hub.
constexpr int kTurnFd = 3;

// Whether this process relays its children's output: only the main process does. A child's
// own children write straight into the child's stdout and stderr, which are already pipes to
// the main process's relay (a line, one write(2) of at most PIPE_BUF bytes, crosses a pipe
// whole), so a child never makes a relay thread: no thread for a grandchild's lines to wait
// on, and none that ThreadSanitizer forbids a child forked from a process with threads.
bool relays_children() {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  return g.identity.empty();
}

// Where a child's stdout (fd 1) or stderr (fd 2) goes: a pipe the relay reads, in the main
// process; in a child, a copy of its own (close-on-exec, as a pipe's end would be), and no
// read end.
PipeEnds output_pipe(int fd) {
  if (relays_children()) return child_pipe();
  PipeEnds p;
  p.write = Fd(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  if (!p.write) throw os_error(errno);
  return p;
}

}  // namespace

void register_target(const std::string& name, TargetFn fn) {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  g.targets[name] = fn;
}

void set_start_method(const std::string& method) {
  check_method(method);
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  sync_run(g);
  if (!g.method.empty()) throw RuntimeError("context has already been set");
  g.method = method;
}

std::string get_start_method() {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  sync_run(g);
  return g.method.empty() ? "fork" : g.method;
}

int forkserver_pid() {
  std::string exe;
  {
    Globals& g = globals();
    std::lock_guard lk(g.mu);
    exe = g.executable;
  }
  int pid = forkserver::ensure_running(exe);
  // A deterministic run: the server's virtual pid, its children's parent (deterministic.h).
  if (auto* d = DeterministicScheduler::of_run()) return static_cast<int>(d->forkserver_pid());
  return pid;
}

void stop_forkserver() { forkserver::stop(); }

void set_executable(const std::string& path) {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  g.executable = path;
}

const std::string& current_process_name() { return globals().current_name; }

Fd open_pidfd(pid_t pid) { return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

Process::Process(ProcessArgs args) : args_(std::move(args)), daemon_(args_.daemon) {
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  sync_run(g);
  int n = runtime().next_process_number();
  identity_ = g.identity.empty() ? std::to_string(n) : g.identity + ":" + std::to_string(n);
  name_ = args_.name.empty() ? args_.class_name + "-" + identity_ : args_.name;
  method_ = args_.start_method;
}

Process::~Process() {
  {
    Globals& g = globals();
    std::lock_guard glk(g.mu);
    std::erase(g.active, this);
  }
  std::unique_lock lk(mu_);
  if (pid_ == 0) return;
  if (!reap(false)) {
    if (daemon_ || runtime().cancelled()) {
      ::kill(pid_, SIGTERM);
      reap(true);
    } else {
      lk.unlock();
      try {
        join();
      } catch (const ThreadExit&) {
      }
      lk.lock();
      if (!exitcode_) {
        ::kill(pid_, SIGTERM);
        reap(true);
      }
    }
  }
}

void Process::set_daemon(bool daemon) {
  std::lock_guard lk(mu_);
  if (pid_ != 0) throw RuntimeError("cannot set daemon status of active process");
  daemon_ = daemon;
}

std::optional<int> Process::pid() const {
  std::lock_guard lk(mu_);
  if (pid_ == 0) return std::nullopt;
  if (virtual_pid_ != 0) return static_cast<int>(virtual_pid_);
  return pid_;
}

int Process::sentinel() const {
  std::lock_guard lk(mu_);
  return pidfd_.get();
}

std::optional<int> Process::exitcode() {
  std::lock_guard lk(mu_);
  if (pid_ != 0) reap(false);
  return exitcode_;
}

bool Process::is_alive() {
  std::lock_guard lk(mu_);
  return pid_ != 0 && !reap(false);
}

void Process::terminate() { signal(SIGTERM); }
void Process::kill() { signal(SIGKILL); }

void Process::signal(int sig) {
  pid_t signalled = 0;
  {
    std::lock_guard lk(mu_);
    if (pid_ != 0 && !reap(false)) {
      ::kill(pid_, sig);
      signalled = pid_;
    }
  }
  // A deterministic run: the child waits for its turn, so it dies now, not at some moment
  // the next lines could race with: is_alive() says False right after, in every run.
  if (signalled && virtual_pid_ != 0)
    if (auto* d = DeterministicScheduler::of_run()) d->member_signalled(signalled);
}

bool Process::reap(bool block) {
  if (exitcode_) return true;
  if (method_ == "forkserver") {
    // The child is the server's: its exit code arrives on the status pipe (pidfd_).
    std::optional<int> code = forkserver::read_status(pidfd_.get(), block);
    if (!code) return false;
    exitcode_ = code;
    wait_table::hide(-1);
    pidfd_.reset();
    finish_relay();
    return true;
  }
  int status = 0;
  pid_t r;
  do r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  exitcode_ = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
  // The run's wait table: a forked child's rows go; a spawned one was hidden from it.
  if (method_ == "fork") wait_table::forget(pid_);
  else wait_table::hide(-1);
  pidfd_.reset();
  finish_relay();  // the child's last lines are out before join returns
  return true;
}

void Process::join(std::optional<double> timeout) {
  {
    std::lock_guard lk(mu_);
    if (pid_ == 0) throw AssertionError("can only join a started process");
  }
  Deadline deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
  // The wait is the seam's, on the child's pidfd (or, for a forkserver child, the pipe its
  // exit status comes on): traced as "Process-1 to finish", woken at once by a stop.
  WaitSite site(SiteKind::kThread, name());
  for (;;) {
    int fd;
    {
      std::lock_guard lk(mu_);
      if (reap(false)) return;
      fd = pidfd_.get();
    }
    try {
      bool ended;
      if (fd >= 0) {
        ended = scheduler().wait_fd(site, fd, POLLIN, deadline);
      } else {
        // No pidfd (a kernel before 5.3): look again each step.
        ended = scheduler().wait_shared(
            site,
            [this](SteadyClock::time_point until) {
              std::this_thread::sleep_until(until);
              std::lock_guard lk(mu_);
              return reap(false);
            },
            deadline);
      }
      if (!ended) return;  // timed out; exitcode stays empty
    } catch (const ThreadExit&) {
      // The run stopped (watchdog, Ctrl-C): the child goes with it, reaped, not orphaned.
      std::lock_guard lk(mu_);
      if (!reap(false)) {
        ::kill(pid_, SIGTERM);
        reap(true);
      }
      throw;
    }
  }
}

void Process::run() {
  if (!args_.target_name.empty()) find_target(args_.target_name)(args_.args);
  else if (args_.target) args_.target();
}

void Process::start() {
  {
    std::lock_guard lk(mu_);
    if (pid_ != 0) throw RuntimeError("cannot start a process twice");
  }
  start_child();
  Globals& g = globals();
  std::lock_guard lk(g.mu);
  sync_run(g);
  g.active.push_back(this);
}

std::vector<Process*> active_children() {
  std::vector<Process*> started;
  {
    Globals& g = globals();
    std::lock_guard lk(g.mu);
    sync_run(g);
    started = g.active;
  }
  std::vector<Process*> alive;
  for (Process* p : started)
    if (p->is_alive()) alive.push_back(p);
  return alive;
}

void shutdown() {
  std::vector<Process*> children = active_children();
  for (Process* p : children)
    if (p->daemon()) p->terminate();
  for (Process* p : children) p->join();
}

void Process::start_child() {
  if (method_.empty()) method_ = get_start_method();
  check_method(method_);
  // The CLI refuses such demos up front; this is the core's own guard.
  if (scheduler().is_virtual() && !relays_children())
    throw RuntimeError("a deterministic run schedules the children of its main process only");
  try {
    // The thread that will copy the child's output: before the child, so that a process
    // limit (no thread can be made) fails the start with no child to clean up.
    if (relays_children()) relay::ensure_running();
  } catch (const std::system_error& e) {
    throw os_error(e.code().value());
  }
  if (method_ == "forkserver") {
    start_forkserver();
    return;
  }
  if (method_ == "spawn") start_spawn();
  else start_fork();
  std::lock_guard lk(mu_);
  pidfd_ = open_pidfd(pid_);
}

void Process::start_fork() {
  PipeEnds out = output_pipe(1);
  PipeEnds err = output_pipe(2);
  // A deterministic run: the child joins the run's turn over a link of its own.
  DeterministicScheduler* virtual_run = DeterministicScheduler::of_run();
  Fd hub_end, child_end;
  long virtual_pid = 0;
  if (virtual_run) {
    std::tie(hub_end, child_end) = turn::make_link();
    virtual_pid = virtual_run->next_child_pid();
  }
  Runtime& rt = runtime();
  pid_t parent = parent_to_die_with();
  pid_t pid;
  {
    // Hold the core's locks (and this layer's own) across fork(): no other thread is
    // mid-print or mid-registration, so the child's copies are not locked by a thread that
    // does not exist there. Order: the core's, then globals().mu.
    Runtime::ForkGuard core_locks(rt);
    std::lock_guard glk(globals().mu);
    auto relay_lock = relay::fork_guard();  // leaf locks, last in
    auto trace_lock = trace::fork_guard();
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    pid = ::fork();
  }
  if (pid < 0) throw os_error(errno);  // the pipes close as it leaves
  if (pid == 0) {
    out.read.reset();
    err.read.reset();
    hub_end.reset();
    relay::forget_after_fork();
    die_with_parent(parent);
    child_after_fork(std::move(out.write), std::move(err.write), std::move(child_end));  // never returns
  }
  // The child's ends close here, so the relay sees end of file when the child is done.
  out.write.reset();
  err.write.reset();
  child_end.reset();
  std::lock_guard lk(mu_);
  pid_ = pid;
  virtual_pid_ = virtual_pid;
  start_relay(std::move(out.read), std::move(err.read));
  if (virtual_run) {
    std::shared_ptr<relay::Lines> lines = lines_;
    virtual_run->add_member(pid, virtual_pid, std::move(hub_end), name_, [lines] {
      if (lines) relay::drain(*lines);
    });
  }
}

void Process::start_relay(Fd out, Fd err) {
  if (!out && !err) return;  // a child's child: it writes into our stdout and stderr
  try {
    // A deterministic run copies a child's lines when it gives the turn back (relay.h).
    lines_ = scheduler().is_virtual() ? relay::hold(std::move(out), std::move(err))
                                      : relay::watch(std::move(out), std::move(err));
  } catch (const std::system_error& e) {
    // The pipes cannot be watched (no memory for the epoll entry, or no relay thread): they
    // are closed, the child goes, reaped, and start() fails with Python's OSError.
    ::kill(pid_, SIGKILL);
    if (method_ != "forkserver") reap(true);
    else wait_table::hide(-1);
    pidfd_.reset();
    pid_ = 0;
    throw os_error(e.code().value());
  }
}

void Process::finish_relay() {
  if (!lines_) return;
  relay::finish(*lines_);
  lines_.reset();
}

void Process::child_after_fork(Fd out, Fd err, Fd link) {
  default_signals();
  ::dup2(out.get(), 1);
  ::dup2(err.get(), 2);
  out.reset();
  err.reset();
  Globals& g = globals();
  g.current_name = name_;
  g.identity = identity_;
  Runtime& rt = runtime();
  RunOptions options = child_options(rt.options(), identity_);
  if (link) {
    // The parent's scheduler stays where it is: this child runs on one of its fibers' stacks.
    rt.abandon_scheduler();
    options.turn_link = link.release();  // the child's scheduler waits for the turn on it
  }
  begin_run(options, std::cout, std::cerr);
  wait_table::name_process(name_);
  {
    std::lock_guard lk(g.mu);
    sync_run(g);  // the child's own children count from Process-IDENTITY:1
    g.method = "fork";  // force_start_method, with the lock already at hand
  }
  int code = run_in_child(name_, [this] { run(); });
  if (auto* d = DeterministicScheduler::of_run()) d->leave();  // the hub's turn from here on
  ::_exit(code);
}

void Process::start_spawn() {
  if (args_.target_name.empty())
    throw ValueError("spawn needs a target registered by name (process::register_target)");
  find_target(args_.target_name);  // fail in the parent, as pickling would
  PipeEnds out = output_pipe(1);
  PipeEnds err = output_pipe(2);
  PipeEnds in = child_pipe();
  const RunOptions& o = runtime().options();
  RunOptions co = child_options(o, identity_);
  std::string exe;
  {
    Globals& g = globals();
    std::lock_guard lk(g.mu);
    exe = g.executable;
  }
  std::vector<std::string> argv_s = {exe,       "__child",
                                     args_.target_name, name_,
                                     identity_, daemon_ ? "1" : "0",
                                     fmt::format("{}", o.time_scale), std::to_string(co.seed),
                                     std::to_string(parent_to_die_with())};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  // A deterministic run: the child joins the run's turn over a link of its own, found on
  // the descriptor CONCUR_TURN_FD names (child_main).
  DeterministicScheduler* virtual_run = DeterministicScheduler::of_run();
  Fd hub_end, child_end;
  long virtual_pid = 0;
  std::vector<char*> env;
  std::string turn_env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  if (virtual_run) {
    std::tie(hub_end, child_end) = turn::make_link();
    virtual_pid = virtual_run->next_child_pid();
    turn_env = fmt::format("CONCUR_TURN_FD={}", kTurnFd);
    env.push_back(turn_env.data());
  }
  env.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, err.write.get(), 2);
  // dup2 onto kTurnFd clears close-on-exec there, unless the link is on kTurnFd already (a
  // dup2 onto itself does nothing): then it moves first.
  if (child_end && child_end.get() == kTurnFd) child_end = Fd(::fcntl(kTurnFd, F_DUPFD_CLOEXEC, kTurnFd + 1));
  if (child_end) posix_spawn_file_actions_adddup2(&fa, child_end.get(), kTurnFd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, def;
  sigemptyset(&none);
  sigemptyset(&def);
  sigaddset(&def, SIGINT);
  sigaddset(&def, SIGTERM);
  sigaddset(&def, SIGHUP);
  sigaddset(&def, SIGQUIT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  // The child's ends close here: it has its copies on 0, 1 and 2.
  in.read.reset();
  out.write.reset();
  err.write.reset();
  child_end.reset();
  if (rc != 0) throw os_error(rc);  // our ends close as it leaves
  {
    std::lock_guard lk(mu_);
    pid_ = pid;
    virtual_pid_ = virtual_pid;
    wait_table::hide(1);  // a fresh image: it has no share in the run's wait table
    start_relay(std::move(out.read), std::move(err.read));
    if (virtual_run) {
      std::shared_ptr<relay::Lines> lines = lines_;
      virtual_run->add_member(pid, virtual_pid, std::move(hub_end), name_, [lines] {
        if (lines) relay::drain(*lines);
      });
    }
  }
  // The arguments cross as bytes, as Python pickles them for a spawned child, with the
  // child's start method (Python's process object carries its _start_method).
  std::string bytes = encode(Value(List{args_.args, method_}));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t w = ::write(in.write.get(), p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;  // the child died early; its exit code will say so
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  in.write.reset();  // end of file: the child has all its arguments
}

void Process::start_forkserver() {
  if (args_.target_name.empty())
    throw ValueError("forkserver needs a target registered by name (process::register_target)");
  find_target(args_.target_name);
  PipeEnds out = output_pipe(1);
  PipeEnds err = output_pipe(2);
  const RunOptions& o = runtime().options();
  forkserver::Request request{args_.target_name, name_, identity_, o.time_scale,
                              child_options(o, identity_).seed, args_.args, method_};
  std::string exe;
  {
    Globals& g = globals();
    std::lock_guard lk(g.mu);
    exe = g.executable;
  }
  // A deterministic run: the child joins the run's turn over a link of its own, which goes
  // to the server with its other descriptors.
  DeterministicScheduler* virtual_run = DeterministicScheduler::of_run();
  Fd hub_end, child_end;
  long virtual_pid = 0, virtual_parent = 0;
  if (virtual_run) {
    virtual_parent = virtual_run->forkserver_pid();
    std::tie(hub_end, child_end) = turn::make_link();
    virtual_pid = virtual_run->next_child_pid();
    request.turn_link = child_end.get();
  }
  Fd status;
  pid_t pid = forkserver::start_child(exe, request, out.write.get(), err.write.get(), status);
  // The child has its copies of the write ends (by SCM_RIGHTS): ours close here.
  out.write.reset();
  err.write.reset();
  child_end.reset();
  std::lock_guard lk(mu_);
  pid_ = pid;
  virtual_pid_ = virtual_pid;
  pidfd_ = std::move(status);
  wait_table::hide(1);  // the forkserver's child has no share in the run's wait table
  start_relay(std::move(out.read), std::move(err.read));
  if (virtual_run) {
    std::shared_ptr<relay::Lines> lines = lines_;
    virtual_run->add_member(
        pid, virtual_pid, std::move(hub_end), name_,
        [lines] {
          if (lines) relay::drain(*lines);
        },
        virtual_parent);
  }
}

namespace {

// What a child forked by the forkserver runs (in the server's fresh, one-thread image).
int run_forkserver_child(const forkserver::Request& r) {
  Globals& g = globals();
  g.current_name = r.name;
  g.identity = r.identity;
  RunOptions o;
  o.time_scale = r.time_scale;
  o.seed = r.seed;
  if (r.turn_link >= 0) {  // a child of a deterministic run: it waits for the turn on its link
    o.deterministic = true;
    o.turn_link = r.turn_link;
  }
  begin_run(o, std::cout, std::cerr);
  force_start_method(r.start_method);
  int code = run_in_child(r.name, [&] { find_target(r.target)(r.args); });
  if (auto* d = DeterministicScheduler::of_run()) d->leave();  // the hub's turn from here on
  return code;
}

// An argument of `concur __child` that is not as a parent writes it (a person typed it).
struct BadChildArgument : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// `WHAT 'TEXT'` for the error line: a newline as \n, any other byte outside printable ASCII
// (and the quote and backslash) as \xNN, so that the line stays one line.
std::string child_arg(const char* what, const std::string& text) {
  std::string out = std::string(what) + " '";
  for (unsigned char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c < 0x20 || c >= 0x7F || c == '\\' || c == '\'')
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "'";
}

// `text` as a whole number from 0 to `max`, all of it in decimal digits; throws BadChildArgument.
std::uint64_t whole_arg(const char* what, const std::string& text, std::uint64_t max) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v > max)
    throw BadChildArgument(fmt::format("{} is not a whole number from 0 to {}", child_arg(what, text), max));
  return v;
}

// `text` as a time scale: a finite decimal number above 0 (as fmt writes a double), all of it.
double scale_arg(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) || v <= 0)
    throw BadChildArgument(child_arg("SCALE", text) + " is not a number above 0");
  return v;
}

}  // namespace

int child_main(int argc, char** argv) {
  // Every argument read before anything is done: a malformed one is one line and exit 2
  constexpr std::uint64_t kMaxPid = std::numeric_limits<pid_t>::max();
  bool server = argc >= 3 && std::string(argv[2]) == "__forkserver";
  if (!server && (argc < 8 || argc > 9)) {
    std::cerr << "concur __child: bad arguments; expected TARGET NAME IDENTITY DAEMON SCALE SEED [PARENT]\n";
    return 2;
  }
  RunOptions o;
  pid_t parent = 0;
  try {
    if (server) {
      if (argc > 3) parent = static_cast<pid_t>(whole_arg("PARENT", argv[3], kMaxPid));
    } else {
      if (std::string(argv[5]) != "0" && std::string(argv[5]) != "1")
        throw BadChildArgument(child_arg("DAEMON", argv[5]) + " is not 0 or 1");
      o.time_scale = scale_arg(argv[6]);
      o.seed = whole_arg("SEED", argv[7], std::numeric_limits<std::uint64_t>::max());
      if (argc > 8) parent = static_cast<pid_t>(whole_arg("PARENT", argv[8], kMaxPid));
    }
  } catch (const BadChildArgument& e) {
    std::cerr << "concur __child: bad arguments: " << e.what() << "\n";
    return 2;
  }
  if (server) return forkserver::server_main(parent, run_forkserver_child);
  die_with_parent(parent);  // 0: none
  default_signals();
  std::string target = argv[2], name = argv[3], identity = argv[4];
  std::string bytes;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  Globals& g = globals();
  g.current_name = name;
  g.identity = identity;
  // A child of a deterministic run: its scheduler waits for the turn on the link.
  if (const char* turn_fd = std::getenv("CONCUR_TURN_FD"); turn_fd && std::string(turn_fd) == std::to_string(kTurnFd)) {
    ::unsetenv("CONCUR_TURN_FD");  // its own children are not the run's members
    o.deterministic = true;
    o.turn_link = kTurnFd;
  }
  begin_run(o, std::cout, std::cerr);
  List sent = decode(bytes).as_list();  // [args, start method]
  force_start_method(sent.at(1).as_str());
  int code = run_in_child(name, [&] { find_target(target)(sent.at(0).as_list()); });
  if (auto* d = DeterministicScheduler::of_run()) d->leave();  // the hub's turn from here on
  return code;
}

}  // namespace concur::process
