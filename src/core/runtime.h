// The state of one run of a demo: options, the thread registry, the output sink, the run's
// stop signal and the slot that holds its scheduler.
//
// A run begins with `begin_run(options)` (run.h) on the thread that becomes MainThread and
// ends with `end_run()`. Everything a demo sees (thread names counting from Thread-1, the
// lecture clock starting now, the seeded random generator) is reset per run, so that the
// tests can run many demos in one process the way `concur` runs one. This file sits just
// above the seam: it knows threads and sites, and nothing of the layers built on it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/seam.h"

namespace concur {

class Chooser;

// Why a run was stopped before its demo ended. The core only stops the run (every wait
// and sleep then throws ThreadExit) and keeps the first reason; the CLI turns it into the
// exit code (cli/app.h).
enum class StopReason {
  kNone,          // not stopped
  kTimeout,       // the watchdog: the run outlived --timeout
  kInterrupt,     // SIGINT (Ctrl-C), or quitting --step
  kTerminate,     // SIGTERM
  kHangup,        // SIGHUP: the terminal went away
  kQuit,          // SIGQUIT (Ctrl-\)
  kOutputClosed,  // standard output's reader left (EPIPE)
  kOutputFailed,  // writing standard output failed otherwise (a full disk)
  kStuck,         // a deterministic run in which no thread can run and no report helped
};

struct RunOptions {
  double time_scale = 1.0;  // real seconds per lecture second
  std::uint64_t seed = 0;
  bool color = false;
  bool quiet = false;
  // Threads take turns in a seeded order on a virtual clock (deterministic.h); `chooser`
  // (optional) makes the choices instead of the seed.
  bool deterministic = false;
  Chooser* chooser = nullptr;
  // In a child process of a deterministic run: its end of the link to the run's hub
  // (turn_link.h), which the child's scheduler takes; -1 elsewhere.
  int turn_link = -1;
  // Keep the run's wait table across processes (wait_table.h) and report a run in which
  // every thread of every process waits for ever. The CLI sets it for real runs of demos;
  // a forked child inherits it; unit tests, whose helpers are plain std::threads the table
  // cannot see, leave it off.
  bool watch_stuck = false;
};

// The ThreadState of the calling thread: MainThread for the run's main thread, a
// `Dummy-N` for threads the core did not start.
ThreadState& current_thread_state();
// Makes `state` the calling thread's state (used by Thread when it starts).
void set_current_thread_state(ThreadState* state);

class Runtime {
 public:
  // Resets this runtime for a run on the calling thread, which becomes MainThread. Called by
  // begin_run (run.h), which resets the other layers too and then installs the run's
  // scheduler (made once MainThread is in place: a deterministic one adopts it).
  void reset(const RunOptions& options, std::ostream& out, std::ostream& err);
  void install(std::unique_ptr<Scheduler> scheduler) { scheduler_ = std::move(scheduler); }
  // In a forked child of a deterministic run, before its own run begins: lets go of the
  // parent's scheduler without destroying it (the child runs on one of its fibers' stacks).
  void abandon_scheduler() { [[maybe_unused]] Scheduler* kept = scheduler_.release(); }
  // Ends the run: no thread is live any more. (Daemon threads still running were stopped by
  // their Thread objects' destructors, as interpreter exit stops them.)
  void end_run();

  const RunOptions& options() const { return options_; }
  // Which run this is (1, 2, ... in one process): state a layer keeps per run (a start
  // method, an event loop) compares it to know when a new run began.
  std::uint64_t run_id() const { return run_id_.load(); }
  std::ostream& out() { return *out_; }
  std::ostream& err() { return *err_; }
  std::mutex& out_mutex() { return out_mutex_; }

  // Stops the run: every wait and sleep of every thread throws ThreadExit from now on. The
  // first reason given is kept; later ones are ignored. Safe from any thread.
  void cancel(StopReason why);
  StopReason cancel_reason() const { return cancel_reason_.load(); }
  bool cancelled() const { return cancel_reason() != StopReason::kNone; }
  // With out_mutex() held: writes `text` to out() and flushes it. If out() has failed (EPIPE:
  // its reader left, `concur demo lock | head -1`; ENOSPC: a full disk), records the first
  // error's errno and stops the run (kOutputClosed for EPIPE, else kOutputFailed), so that
  // no demo goes on printing into nowhere. Every line of the run's output comes here.
  void write_out(std::string_view text);
  // The errno of the first failed write to out() in this process, or 0. Never reset: a
  // stream that failed stays failed.
  int output_error() const { return output_error_.load(); }
  // An eventfd of this process that turns readable when the run is cancelled: kernel waits
  // (Scheduler::wait_fd) and event loops poll it beside what they wait for. Each process
  // has its own (a forked child makes a fresh one in begin_run).
  int stop_fd() const { return stop_fd_; }

  // Registry of started, unfinished threads (Python's threading._active), main included.
  void register_thread(ThreadState* t);
  void unregister_thread(ThreadState* t);
  // Keeps a started thread's state until the next run begins, even once its Thread object
  // is gone: a Lock it left held still names it as owner, and the deadlock detector must
  // neither read freed memory nor take a new thread at the same address for that owner.
  void retain_thread_state(std::shared_ptr<ThreadState> t);
  std::vector<ThreadState*> live_threads();
  // Blocks until the main thread is the only live thread (used when the run stops).
  void wait_for_other_threads();
  // Daemon threads stopped at exit (by ~Thread) that have unwound so far.
  int daemons_stopped_at_exit() const { return daemons_stopped_; }

  // Per-run counters for Python's names (Thread-N, Dummy-N, default labels).
  int next_thread_number() { return ++thread_counter_; }
  int next_dummy_number() { return ++dummy_counter_; }
  int next_pool_number() { return pool_counter_++; }  // ThreadPoolExecutor-N, from 0
  int next_process_number() { return ++process_counter_; }  // Process-N, from 1

  // Holds every lock of the core's own, so that fork() copies none of them held by a thread
  // that does not exist in the child; both processes release them when the guard goes.
  // The order: the locks registered with guard_at_fork, in the order registered (begin_run
  // registers the deadlock reports' and the random generator's), then the thread registry,
  // then the output. A registered lock must never be taken with the registry or the output
  // lock held.
  void guard_at_fork(std::mutex& m);
  class ForkGuard {
   public:
    explicit ForkGuard(Runtime& rt);
    ~ForkGuard();
    ForkGuard(const ForkGuard&) = delete;
    ForkGuard& operator=(const ForkGuard&) = delete;

   private:
    Runtime& rt_;
  };
  int next_site_number(SiteKind kind);

  ThreadState& main_thread() { return main_; }
  // The real time the run began (the lecture clock's epoch).
  std::chrono::system_clock::time_point wall_start() const { return wall_start_; }
  // The lecture clock's epoch in deterministic runs: 2019-01-27 19:21:19 UTC, the first
  // timestamp in the lecture's logs.
  static constexpr long long kDeterministicEpoch = 1548616879;

 private:
  void check_output();  // write_out's second half: the error, if out() has failed

  RunOptions options_;
  std::ostream* out_ = nullptr;
  std::ostream* err_ = nullptr;
  std::mutex out_mutex_;
  std::atomic<StopReason> cancel_reason_{StopReason::kNone};
  std::atomic<int> output_error_{0};
  std::atomic<std::uint64_t> run_id_{0};
  std::mutex registry_mutex_;
  std::vector<ThreadState*> live_;
  std::vector<std::shared_ptr<ThreadState>> retained_;  // guarded by registry_mutex_
  int daemons_stopped_ = 0;
  std::atomic<int> thread_counter_{0};
  std::atomic<int> dummy_counter_{0};
  std::atomic<int> pool_counter_{0};
  std::atomic<int> process_counter_{0};
  std::condition_variable registry_changed_;  // plumbing, not a demo wait
  std::atomic<int> site_counters_[kSiteKinds] = {};
  int stop_fd_ = -1;
  ThreadState main_;
  std::chrono::system_clock::time_point wall_start_ = std::chrono::system_clock::now();
  std::vector<std::mutex*> fork_locks_;  // guard_at_fork's, in order
  std::unique_ptr<Scheduler> scheduler_;
  friend Scheduler& scheduler();  // run.cpp
};

// The process's one runtime.
Runtime& runtime();

}  // namespace concur
