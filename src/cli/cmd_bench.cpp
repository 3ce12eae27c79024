// `concur bench [--quick] [--json]`: the lecture's benchmarking chapter, live. What the
// primitives the demos use cost on this machine, each next to a baseline measured in the
// same run, as a ratio:
//   starting a worker: std::thread | core Thread | fork() | fork(), child writes a line to a
//                      pipe | Process fork/forkserver |
//                      posix_spawn /bin/true | Process spawn
//   Lock acquire+release, alone and with 2 threads contending | std::mutex
//   Queue, 1 producer -> 1 consumer | std::mutex + std::condition_variable + std::deque
//   Pipe, one way, one int a message | pipe(2) with write/read
//   `concur list` startup (fork+exec) | fork+exec of /bin/true; the goal is <= 5 ms
// Fast operations run in batches sized to fill a time slice, best batch kept; process
// starts are sampled one by one, median kept. About 3 s by default, well under 1 s quick.
// Only std::chrono: the Google Benchmark versions are in bench/bench_core.cpp; what both
// measure of the queue is written once, in bench/workloads.h.
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <limits.h>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "bench/workloads.h"
#include "cli/app.h"
#include "cli/bench_table.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "core/run.h"
#include "core/concur.h"
#include "core/fd.h"
#include "core/fiber.h"

extern char** environ;

namespace concur::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// How long each measurement may take.
struct Budget {
  double slice;        // real seconds one batch of fast operations aims to fill
  int reps;            // batches per fast row (the best is kept)
  int min_starts;      // process starts sampled per row, at least
  int max_starts;      //   ... and at most
  double start_slice;  // keep sampling starts until this much time has passed
};
constexpr Budget kFull{0.02, 5, 5, 100, 0.1};
constexpr Budget kQuick{0.003, 3, 3, 10, 0.005};

// Ends the measurement when the run was stopped (Ctrl-C), as the core's own waits do.
void stop_if_cancelled() {
  if (runtime().cancelled()) throw ThreadExit{ExitReason::kCancelled};
}

// "12x" for big ratios, "1.3x" for small ones.
std::string times(double ratio) {
  return ratio >= 10 ? fmt::format("{:.0f}x", ratio) : fmt::format("{:.1f}x", ratio);
}

// A row of fast operations: `batch(n)` does n of them and returns the real seconds taken.
// n grows fourfold until a batch takes a quarter of budget.slice; then budget.reps batches,
// each sized to fill the slice at the best cost per op seen so far in batches that large
// (so that one batch slowed by a busy machine does not leave the rest too small); the best
// cost is kept.
BenchRow fast_row(const Budget& b, const std::string& name, const std::function<double(long)>& batch,
                  bool as_rate = false) {
  auto sample = [&](long n) {
    stop_if_cancelled();
    return batch(n) / static_cast<double>(n);
  };
  long n = 1;
  double best = sample(n);  // the cost per op of the last (largest) calibration batch
  while (best * static_cast<double>(n) < b.slice / 4 && n < (1L << 30)) best = sample(n *= 4);
  std::vector<double> per_op;
  long largest = 0;
  for (int i = 0; i < b.reps; ++i) {
    n = std::max(n, static_cast<long>(b.slice / best));
    largest = std::max(largest, n);
    per_op.push_back(sample(n));
    best = std::min(best, per_op.back());
  }
  return {name, best_of(per_op), as_rate, fmt::format("best of {} x {}", b.reps, largest), "", 1};
}

// A row of process starts: `one()` starts one and waits for it. After one warm-up start,
// samples until min_starts and start_slice are both reached (or max_starts); median kept.
BenchRow start_row(const Budget& b, const std::string& name, const std::function<void()>& one) {
  one();
  std::vector<double> samples;
  auto begin = Clock::now();
  while (static_cast<int>(samples.size()) < b.max_starts &&
         (static_cast<int>(samples.size()) < b.min_starts || seconds_since(begin) < b.start_slice)) {
    stop_if_cancelled();
    auto t = Clock::now();
    one();
    samples.push_back(seconds_since(t));
  }
  return {name, median_of(samples), false, fmt::format("median of {}", samples.size()), "", 1};
}

// std::threads that begin their work together, so that no thread's start is timed: each
// waits at the line; go() waits until all are there, lets them run, and returns when it
// did. An exception in a thread (a stopped run's ThreadExit) ends it quietly.
class StartLine {
 public:
  ~StartLine() { join(); }
  void add(std::function<void()> body) {
    threads_.emplace_back([this, body = std::move(body)] {
      ready_.fetch_add(1);
      while (!go_.load(std::memory_order_acquire)) std::this_thread::yield();
      try {
        body();
      } catch (...) {
      }
    });
  }
  Clock::time_point go() {
    while (ready_.load() < static_cast<int>(threads_.size())) std::this_thread::yield();
    auto now = Clock::now();
    go_.store(true, std::memory_order_release);
    return now;
  }
  void join() {
    go_.store(true);
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  std::atomic<int> ready_{0};
  std::atomic<bool> go_{false};
  std::vector<std::thread> threads_;
};

// Waits for child `pid`; throws if it did not exit 0.
void wait_ok(pid_t pid, const std::string& what) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(what + ": waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(what + ": the child failed");
}

// fork(), then exec `argv` with stdout and stderr on /dev/null (argv[0] is the path), and
// wait for it.
void fork_exec(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(null.get(), 1);
    ::dup2(null.get(), 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  null.reset();
  wait_ok(pid, args[0]);
}

// The path of the running program (the concur binary).
std::string own_executable() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot read /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

// --- the groups ---

BenchGroup start_group(const Budget& b) {
  BenchGroup g{"start a worker, then wait for it to end (start + join)", {}};
  g.rows.push_back(fast_row(b, "std::thread (raw)", [](long n) {
    auto t = Clock::now();
    for (long i = 0; i < n; ++i) std::thread([] {}).join();
    return seconds_since(t);
  }));
  g.rows.push_back(fast_row(b, "Thread (core)", [](long n) {
    auto t = Clock::now();
    for (long i = 0; i < n; ++i) {
      Thread th({.target = [] {}});
      th.start();
      th.join();
    }
    return seconds_since(t);
  }));
  g.rows.push_back(start_row(b, "fork() + waitpid (raw)", [] {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    if (pid < 0) throw std::runtime_error("fork failed");
    wait_ok(pid, "fork");
  }));
  // The same child work done by hand: the child writes the line the Process row's child
  // prints into a pipe; the parent reads to end of file, then reaps it.
  g.rows.push_back(start_row(b, "fork() + a line on a pipe (raw)", [] {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    Fd read_end(fds[0]), write_end(fds[1]);
    pid_t pid = ::fork();
    if (pid == 0) {
      static constexpr char kLine[] = "Process 1 is running\n";
      ssize_t n = ::write(write_end.get(), kLine, sizeof kLine - 1);
      ::_exit(n == sizeof kLine - 1 ? 0 : 1);
    }
    if (pid < 0) throw std::runtime_error("fork failed");
    write_end.reset();
    char buf[256];
    while (::read(read_end.get(), buf, sizeof buf) > 0) {
    }
    wait_ok(pid, "fork");
  }));
  // Each Process runs the same child: the spawn demo's worker, found by name (a spawned
  // child cannot carry a closure), which prints one line.
  auto process = [](const std::string& start_method) {
    return [start_method] {
      process::Process p({.target_name = "spawn.worker_function", .args = {1}, .start_method = start_method});
      p.start();
      p.join();
    };
  };
  g.rows.push_back(start_row(b, "Process, fork (core)", process("fork")));
  g.rows.push_back(start_row(b, "Process, forkserver (core)", process("forkserver")));
  g.rows.push_back(start_row(b, "posix_spawn /bin/true (raw)", [] {
    pid_t pid;
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    if (::posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0)
      throw std::runtime_error("posix_spawn /bin/true failed");
    wait_ok(pid, "/bin/true");
  }));
  g.rows.push_back(start_row(b, "Process, spawn (core)", process("spawn")));
  double thread = g.rows[1].seconds;
  auto vs_thread = [&](int i) { return times(g.rows[i].seconds / thread); };
  g.rows[0].note = "baseline: a bare OS thread, created and joined";
  g.rows[1].note = fmt::format("the core's Thread costs ~{} a bare std::thread (Python's name, the registry)",
                               times(g.rows[1].seconds / g.rows[0].seconds));
  g.rows[2].note = fmt::format("a bare fork() of this program costs ~{} a core Thread", vs_thread(2));
  g.rows[3].note = fmt::format("a child that writes one line to a pipe the parent reads: ~{} a bare fork",
                               times(g.rows[3].seconds / g.rows[2].seconds));
  g.rows[4].note = fmt::format("~{} a bare fork (goal <= 1.5x), ~{} a fork whose child writes the line by hand",
                               times(g.rows[4].seconds / g.rows[2].seconds),
                               times(g.rows[4].seconds / g.rows[3].seconds));
  g.rows[5].note = fmt::format("~{} a thread: the server forks the child and reports its exit on a pipe",
                               vs_thread(5));
  g.rows[6].note = fmt::format("a new program image, even /bin/true, costs ~{} a thread", vs_thread(6));
  g.rows[7].note = fmt::format("~{} a thread, ~{} a fork: exec of concur, its libraries, the target found by name",
                               vs_thread(7), times(g.rows[7].seconds / g.rows[4].seconds));
  return g;
}

// n acquire+release pairs, split over `threads` threads taking turns on one lock.
template <typename L>
double lock_pairs(L& lock, long n, int threads) {
  if (threads == 1) {
    auto t = Clock::now();
    for (long i = 0; i < n; ++i) {
      lock.lock();
      lock.unlock();
    }
    return seconds_since(t);
  }
  StartLine line;
  for (int k = 0; k < threads; ++k)
    line.add([&lock, n, threads] {
      for (long i = 0; i < n / threads; ++i) {
        lock.lock();
        lock.unlock();
      }
    });
  auto t = line.go();
  line.join();
  return seconds_since(t);
}

std::vector<BenchGroup> lock_groups(const Budget& b) {
  std::mutex m;
  Lock lock("bench lock");
  BenchGroup alone{"Lock: acquire + release, one thread, uncontended", {}};
  alone.rows.push_back(fast_row(b, "std::mutex (raw)", [&](long n) { return lock_pairs(m, n, 1); }));
  alone.rows.push_back(fast_row(b, "Lock (core)", [&](long n) { return lock_pairs(lock, n, 1); }));
  alone.rows[0].note = "baseline: lock + unlock of a std::mutex no one else wants";
  alone.rows[1].note = fmt::format("the core's Lock costs ~{} std::mutex uncontended (a CAS, plus the seam's owner record)",
                                   times(alone.rows[1].seconds / alone.rows[0].seconds));
  BenchGroup both{"Lock: acquire + release, 2 threads contending for one lock", {}};
  both.rows.push_back(fast_row(b, "std::mutex, 2 threads (raw)", [&](long n) { return lock_pairs(m, n, 2); }));
  both.rows.push_back(fast_row(b, "Lock, 2 threads (core)", [&](long n) { return lock_pairs(lock, n, 2); }));
  double contention = both.rows[0].seconds / alone.rows[0].seconds;
  both.rows[0].note = contention >= 1.5 ? fmt::format("baseline: contention makes each std::mutex pair ~{} its "
                                                      "uncontended cost",
                                                      times(contention))
                                        : "baseline; little contention seen: the two threads seldom ran at once "
                                          "(one CPU, or a busy machine)";
  both.rows[1].note = fmt::format("~{} std::mutex under contention: a waiter parks in the seam, where the "
                                  "deadlock detector can see it",
                                  times(both.rows[1].seconds / both.rows[0].seconds));
  return {alone, both};
}

// One producer (this thread) hands n items to one consumer (bench/workloads.h).
template <typename Q>
double queue_items(long n) {
  Q q;
  StartLine line;
  line.add([&q] { bench::consume(q); });
  auto t = line.go();
  bench::produce(q, n, 1);
  line.join();
  return seconds_since(t);
}

BenchGroup queue_group(const Budget& b) {
  BenchGroup g{"Queue: 1 producer -> 1 consumer, items per second", {}};
  g.rows.push_back(fast_row(b, "mutex+condvar+deque (raw)", queue_items<bench::StdQueue>, true));
  g.rows.push_back(fast_row(b, "Queue (core)", queue_items<bench::CoreQueue>, true));
  g.rows[0].note = "baseline: the queue one writes by hand with std::mutex, std::condition_variable, std::deque";
  double r = g.rows[1].seconds / g.rows[0].seconds;
  g.rows[1].note = r >= 1 ? fmt::format("the core's Queue moves ~{:.0f}% as many items a second (the task_done "
                                        "count, the seam's bookkeeping)",
                                        100 / r)
                          : fmt::format("the core's Queue moves ~{} as many items a second as the hand-written one",
                                        times(1 / r));
  return g;
}

// A writer thread sends n one-int messages down a one-way pipe; this thread receives them.
double core_pipe_messages(long n) {
  auto [reader, writer] = process::Pipe(false);
  StartLine line;
  line.add([&writer, n] {
    for (long i = 0; i < n; ++i) writer.send(process::Value(static_cast<long long>(i)));
  });
  auto t = line.go();
  try {
    for (long i = 0; i < n; ++i) reader.recv();
  } catch (...) {  // a stopped run: the writer's next send fails (EPIPE) and it ends
    reader.close();
    throw;
  }
  return seconds_since(t);
}

double raw_pipe_messages(long n) {
  PipeEnds pipe = make_pipe(O_CLOEXEC);
  if (!pipe.read) throw std::runtime_error("pipe failed");
  StartLine line;
  line.add([fd = pipe.write.get(), n] {
    for (long long i = 0; i < n; ++i)
      if (::write(fd, &i, sizeof i) != sizeof i) return;
  });
  auto t = line.go();
  for (long i = 0; i < n; ++i) {
    long long v;
    std::size_t got = 0;
    while (got < sizeof v) {
      ssize_t r = ::read(pipe.read.get(), reinterpret_cast<char*>(&v) + got, sizeof v - got);
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
    }
  }
  double s = seconds_since(t);
  line.join();
  return s;
}

BenchGroup pipe_group(const Budget& b) {
  BenchGroup g{"Pipe: one way, one int a message, messages per second", {}};
  g.rows.push_back(fast_row(b, "pipe(2) write/read (raw)", raw_pipe_messages, true));
  g.rows.push_back(fast_row(b, "Pipe (core)", core_pipe_messages, true));
  g.rows[0].note = "baseline: 8 bytes write(2) by one thread, read(2) by another";
  g.rows[1].note = fmt::format("~{} a raw write/read: each message is encoded, length-framed, polled for, decoded",
                               times(g.rows[1].seconds / g.rows[0].seconds));
  return g;
}

BenchGroup startup_group(const Budget& b) {
  BenchGroup g{"`concur list` startup: fork + exec, stdout to /dev/null", {}};
  g.rows.push_back(start_row(b, "fork+exec /bin/true (raw)", [] { fork_exec({"/bin/true"}); }));
  std::string self = own_executable();
  g.rows.push_back(start_row(b, "concur list", [&self] { fork_exec({self, "list"}); }));
  double ms = g.rows[1].seconds * 1e3;
  g.rows[0].note = "baseline: the cheapest program there is; no exec is faster";
  g.rows[1].note = fmt::format("`concur list` starts in {:.1f} ms (goal <= 5 ms: {}); ~{} the bare exec", ms,
                               ms <= 5 ? "met" : "NOT met", times(g.rows[1].seconds / g.rows[0].seconds));
  return g;
}

// n switches between two fibers, in user space (fiber.h): the least that handing the turn
// over can cost.
double fiber_switches(long n) {
  Fiber main_fiber;
  std::unique_ptr<Fiber> other;
  long left = n / 2;
  other = std::make_unique<Fiber>(64 * 1024, [&]() -> Fiber* {
    while (--left > 0) other->switch_to(main_fiber);
    return &main_fiber;
  });
  auto t = Clock::now();
  while (left > 0) main_fiber.switch_to(*other);
  return seconds_since(t);
}

// What `body` measures (seconds) inside a deterministic run with seed 1; bench's own real run
// is back in place after it.
double in_virtual_run(std::ostream& out, std::ostream& err, const std::function<double()>& body) {
  end_run();
  RunOptions options;
  options.deterministic = true;
  options.seed = 1;
  begin_run(options, out, err);
  double seconds = body();
  end_run();
  begin_run(RunOptions{}, out, err);
  return seconds;
}

// n scheduling decisions of a deterministic run (deterministic.h): MainThread and one
// thread each reach n/2 scheduling points, the seed picks which goes on at each.
double deterministic_decisions(long n, std::ostream& out, std::ostream& err) {
  return in_virtual_run(out, err, [n] {
    auto t = Clock::now();
    Thread other({.target = [n] {
      for (long i = 0; i < n / 2; ++i) yield_point("x");
    }});
    other.start();
    for (long i = 0; i < n / 2; ++i) yield_point("x");
    other.join();
    return seconds_since(t);
  });
}

// n/2 round trips of a 16-byte packet between this process and a forked child, on a
// SOCK_SEQPACKET socket pair: what the turn across processes sends at each decision, bare.
double seqpacket_round_trips(long n) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) throw std::runtime_error("socketpair failed");
  Fd mine(sv[0]), theirs(sv[1]);
  long trips = std::max(1L, n / 2);
  char packet[16] = {};
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    mine.reset();
    for (long i = 0; i < trips; ++i)
      if (::read(theirs.get(), packet, sizeof packet) <= 0 || ::write(theirs.get(), packet, sizeof packet) <= 0) ::_exit(1);
    ::_exit(0);
  }
  theirs.reset();
  auto t = Clock::now();  // the round trips only, not the fork
  for (long i = 0; i < trips; ++i)
    if (::write(mine.get(), packet, sizeof packet) <= 0 || ::read(mine.get(), packet, sizeof packet) <= 0) break;
  double seconds = seconds_since(t);
  wait_ok(pid, "the round-trip child");
  return seconds;
}

// n scheduling decisions of a deterministic run whose other thread is a forked child's
// MainThread: each turn the child takes is a report to the hub and a grant back.
double cross_process_decisions(long n, std::ostream& out, std::ostream& err) {
  return in_virtual_run(out, err, [n] {
    process::Process child({.target = [n] {
                              for (long i = 0; i < n / 2; ++i) yield_point("x");
                            },
                            .start_method = "fork"});
    child.start();
    auto t = Clock::now();  // the decisions only, not the fork and the join
    for (long i = 0; i < n / 2; ++i) yield_point("x");
    double seconds = seconds_since(t);
    child.join();
    return seconds;
  });
}

BenchGroup deterministic_group(const Budget& b, std::ostream& out, std::ostream& err) {
  BenchGroup g{"--deterministic: one scheduling decision (threads take turns on fibers)", {}};
  g.rows.push_back(fast_row(b, "fiber switch (raw)", fiber_switches));
  g.rows.push_back(fast_row(b, "decision (core)", [&](long n) { return deterministic_decisions(n, out, err); }));
  double us = g.rows[1].seconds * 1e6;
  g.rows[0].note = "baseline: one switch between two fibers (Boost.Context), nothing else";
  g.rows[1].note = fmt::format("{:.2f} us a decision (goal <= 0.3 us: {}); ~{} a bare switch: the seeded pick, the "
                               "candidates' states, the switch",
                               us, us <= 0.3 ? "met" : "NOT met", times(g.rows[1].seconds / g.rows[0].seconds));
  g.rows.push_back(fast_row(b, "2 processes: SEQPACKET round trip (raw)", seqpacket_round_trips));
  g.rows.push_back(fast_row(b, "decision across processes (core)", [&](long n) {
    return cross_process_decisions(n, out, err);
  }));
  g.rows[2].note = "baseline: a 16-byte packet to a forked child and back, per two decisions";
  g.rows[3].note = fmt::format("{:.1f} us a decision when a child's thread is a candidate; ~{} the bare round trip: "
                               "the child's report of its threads, the hub's poll of their waits, the grant",
                               g.rows[3].seconds * 1e6, times(g.rows[3].seconds / g.rows[2].seconds));
  return g;
}

// "load 0.42 0.30 0.21" from /proc/loadavg, or "" when it cannot be read.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c)) return "";
  return a + " " + b + " " + c;
}

constexpr int kGroups = 7;  // the groups bench measures, for its progress line

struct BenchOptions {
  bool quick = false;
  bool json = false;
};

}  // namespace

void add_bench_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("bench", "measure what threads, processes, Lock, Queue and Pipe cost on this machine");
  auto opts = std::make_shared<BenchOptions>();
  sub->add_flag("--quick", opts->quick, "a rough run, well under 1 s (default: about 3 s)");
  sub->add_flag("--json", opts->json, "the rows as JSON instead of a table");
  sub->callback([&io, opts] {
    const Budget& b = opts->quick ? kQuick : kFull;
    std::string load = load_average();
    if (!opts->json) {
      io.out << fmt::format("concur bench: what the demos' primitives cost here ({} CPUs, load {}), {} run.\n"
                            "Each ratio is the row's cost per operation over its group's baseline, "
                            "measured in this run.\n",
                            std::thread::hardware_concurrency(), load.empty() ? "unknown" : load,
                            opts->quick ? "a quick" : "a full");
      double one_minute = load.empty() ? 0 : std::stod(load);
      if (one_minute > std::thread::hardware_concurrency())
        io.out << "The machine is busy: threads wait for a CPU, so starts and handovers cost more than usual.\n";
      io.out.flush();
    }
    std::ostringstream sink_out, sink_err;  // children's output, if any
    begin_run(RunOptions{}, sink_out, sink_err);
    std::vector<BenchGroup> groups;
    auto started = Clock::now();
    Progress progress(io.err, "bench", "groups", kGroups);
    try {
      groups.push_back(start_group(b));
      progress.update(static_cast<int>(groups.size()));
      for (auto& g : lock_groups(b)) groups.push_back(std::move(g));
      progress.update(static_cast<int>(groups.size()));
      groups.push_back(queue_group(b));
      progress.update(static_cast<int>(groups.size()));
      groups.push_back(pipe_group(b));
      progress.update(static_cast<int>(groups.size()));
      groups.push_back(deterministic_group(b, sink_out, sink_err));
      progress.update(static_cast<int>(groups.size()));
      groups.push_back(startup_group(b));
      progress.update(static_cast<int>(groups.size()));
    } catch (const ThreadExit&) {  // Ctrl-C stopped the run
    } catch (const std::exception& e) {
      end_run();
      io.err << "concur: bench: " << e.what() << "\n";
      io.exit_code = kExitCheckFailed;
      return;
    }
    double took = seconds_since(started);
    progress.clear();
    end_run();
    if (runtime().cancelled()) {
      io.exit_code = exit_code(runtime().cancel_reason());
      return;
    }
    finish_ratios(groups);
    if (opts->json) {
      io.out << nlohmann::json{{"quick", opts->quick}, {"load", load}, {"seconds", took}, {"groups", to_json(groups)}}
                    .dump(2)
             << "\n";
    } else {
      io.out << format_table(groups)
             << fmt::format("\nTook {:.1f} s. \"best of R x N\": the fastest of R batches of N operations; "
                            "\"median of N\": of N single starts.\n",
                            took);
    }
    io.exit_code = kExitOk;
  });
}

}  // namespace concur::cli
