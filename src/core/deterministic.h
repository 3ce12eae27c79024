// The deterministic scheduler: demo threads take turns, in an order drawn from the seed,
// on a virtual clock. `--deterministic` installs it behind the waiting seam (seam.h).
//
// Every demo thread runs on a fiber of its own (fiber.h), all on the run's one OS thread:
// only the one holding the turn runs, and handing the turn over is a switch in user space
// (nanoseconds), not a kernel wake-up. The turn changes hands only at a scheduling point:
//   - a `point()` the core places before each operation on a primitive (acquire, release,
//     set, put, get, wait, notify, start), before each print and log line, and wherever a
//     demo calls yield_point() (the race demo, between its load and its store);
//   - a wait that finds its condition false, a sleep, a thread's start and its end.
// At each point the runnable threads are listed in the order they were started (MainThread
// first) and one is chosen: by the seeded generator, or by a Chooser (the instructor's
// `--step` keys, a fixed script). A point with one runnable thread is no decision.
//
// Time is virtual: a sleep or a wait with a timeout parks the thread until the clock
// reaches its end, and the clock jumps there as soon as no thread can run. So a run takes
// no real time for its sleeps, and with the same seed it makes the same choices, prints
// the same lines and reads the same clock: output is byte-identical from run to run.
//
// A notify wakes every thread parked on the site; each re-checks its condition when its
// turn comes and parks again if it lost the race for it (Python allows such spurious
// wake-ups too). When no thread can run and none is waiting for the clock, the run is
// stuck for good: a cycle of waits is reported as a deadlock exactly as a real run reports
// it, and any other wait that can never end ("MainThread waits for event 1") is reported
// as stuck; either way the threads involved are unwound and the demo goes on.
//
// When the run is stopped (watchdog, Ctrl-C, `q` at a --step prompt: they come from
// threads that take no turns) the stop is seen at the next scheduling point: from then on
// every waiting thread is runnable, to unwind, still one at a time in the seeded order, so
// even a stopped run's last lines are the same from run to run.
//
// What a demo thread may not do in a virtual run: block the OS thread outside the seam
// (a raw std::mutex held across a scheduling point, a blocking system call): every other
// demo thread waits for it. The core's primitives never do; the process and network
// layers block on the kernel, which is why their demos refuse --deterministic.
//
// Threads the core did not start (Python's dummy threads) are not scheduled: their waits
// and sleeps are real ones.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "core/fiber.h"
#include "core/seam.h"

namespace concur {

// A thread that could take the turn, and what it is about to do ("acquire fork 3",
// "print Consumer consumed 2", "wake up from sleep", "woken: wait for semaphore").
struct Candidate {
  ThreadState* thread;
  std::string doing;
};

// Picks the thread to run at a decision with two or more candidates.
class Chooser {
 public:
  virtual ~Chooser() = default;
  // Returns an index into `runnable`; `seeded` is the index the seeded generator drew.
  // To stop the run, call runtime().cancel(StopReason::kInterrupt) and return any index.
  virtual std::size_t choose(const std::vector<Candidate>& runnable, std::size_t seeded) = 0;
};

class DeterministicScheduler : public Scheduler {
 public:
  // Adopts the calling thread (the run's MainThread) as the one holding the turn.
  // `chooser` may be null (the seed decides); it must outlive the run.
  DeterministicScheduler(std::uint64_t seed, Chooser* chooser);

  bool wait(std::unique_lock<std::mutex>& lk, WaitSite& site, const std::function<bool()>& ready,
            Deadline deadline) override;
  void notify(WaitSite& site, int n) override;
  void sleep(double lecture_seconds) override;
  double elapsed() const override;
  SteadyClock::duration to_real(double lecture_seconds) const override;
  SteadyClock::time_point now() const override;
  bool is_virtual() const override { return true; }
  void point(const char* action, std::string_view object) override;
  void on_start(ThreadState& t) override;
  bool start_fiber(ThreadState& t, std::function<void()> body) override;
  void adopt(ThreadState& t) override;
  void on_exit(ThreadState& t) override;
  void let_finish(ThreadState& t) override;
  void await_other_threads() override;
  void pause() override;

  // How many decisions (points with two or more runnable threads) this run made.
  std::uint64_t decisions() const;

 private:
  enum class State { kRunning, kRunnable, kBlocked, kSleeping, kFinished };
  struct Slot {
    ThreadState* thread;
    int number;  // 0 for MainThread, then in order of start()
    State state = State::kRunnable;
    WaitSite* site = nullptr;  // while kBlocked
    double wake_at = -1;       // lecture time a timed wait or a sleep ends; -1: never
    bool ignore_stop = false;   // while let_finish() waits: its own stop does not wake it
    bool awaiting_all = false;  // in await_other_threads(): runnable once it is the last
    std::string doing;
    std::unique_ptr<Fiber> fiber;  // where it runs (MainThread's: the OS thread's own stack)
  };

  Slot* slot_of(ThreadState& t);  // nullptr for threads the scheduler does not run
  bool runnable(const Slot& s) const;
  // Gives the turn to the next thread (possibly `me` again) and returns once `me` holds it
  // again. `me` has already set its state (kRunnable at a point, kBlocked, kSleeping).
  // Returns at once, keeping the turn, once the scheduler has given up (stopped_).
  void switch_from(Slot* me, std::unique_lock<std::mutex>& m);
  // The thread to run next, by the seed or the chooser; nullptr once given up.
  Slot* pick(std::unique_lock<std::mutex>& m);
  void report_stuck(std::unique_lock<std::mutex>& m);

  mutable std::mutex mutex_;
  std::map<ThreadState*, std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> order_;  // live slots, in start order
  int started_ = 0;
  // Lecture seconds. Written under mutex_ by the turn holder; read without it by elapsed(),
  // which tracing calls from inside the scheduler's own waits.
  std::atomic<double> now_{0};
  Slot* main_ = nullptr;     // MainThread's
  Slot* exit_to_ = nullptr;  // where a finished thread's fiber goes (set by on_exit)
  std::vector<std::unique_ptr<Fiber>> dead_;  // finished threads' fibers, freed later
  // Given up: a stuck run that no report could unwind. The threads still suspended then
  // are left so; the current one runs on alone.
  bool stopped_ = false;
  bool reporting_ = false;  // a deadlock report is printing: its prints are no decisions
  std::mt19937_64 rng_;
  Chooser* chooser_;
  std::uint64_t decisions_ = 0;
};

}  // namespace concur
