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
// Waits on the kernel (a pipe, a socket, a child's pidfd: Scheduler::wait_fds) park the
// thread too: it can run again once poll(2) finds what it waits for ready, which the
// scheduler looks at before each decision. Only the thread holding the turn ever writes,
// so what poll finds then is the same from run to run. A wait on an object in shared memory
// (wait_shared) parks until some other thread has run, then tries again.
//
// Processes. The turn spans the run's processes (turn_link.h): the run's first process is
// the hub and holds the scheduler; each child it starts is a member, with a scheduler of its
// own in member mode that keeps its threads' states but leaves every choice to the hub: at
// each of its scheduling points it reports its threads to the hub and waits to be told
// which of them runs next. So the hub lists the threads of every process as candidates
// ("Process-1/MainThread recv"), in the order the processes started, and only one thread of
// one process runs at a time. A member's output is copied into the run's output each time it
// gives the turn back (the child's lines come before anything printed after them). Pids are
// virtual: the hub is 4200, its children 4300, 4400, ...; the clock is the hub's.
//
// What a demo thread may not do in a virtual run: block the OS thread outside the seam
// (a raw std::mutex held across a scheduling point, a blocking system call): every other
// demo thread, in every process, waits for it. The core's primitives never do.
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

#include "core/fd.h"
#include "core/fiber.h"
#include "core/seam.h"
#include "core/turn_link.h"

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
  // `chooser` may be null (the seed decides); it must outlive the run. With a `link` (the
  // child's end of turn::make_link()), this is a member's scheduler: it first waits for the
  // hub to give it the turn, and from then on asks the hub at every choice.
  DeterministicScheduler(std::uint64_t seed, Chooser* chooser, Fd link = {});

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
  int wait_fds(WaitSite& site, const std::vector<pollfd>& fds, Deadline deadline) override;
  bool wait_shared(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                   Deadline deadline) override;

  // The scheduler of the current run if it is a virtual one, else nullptr.
  static DeterministicScheduler* of_run();

  // Processes (hub side). The virtual pid the next child will have. Then, once the child
  // has been started with the other end of `link`: it joins the turn, as a candidate from
  // now on; `name` is its process name, `drain` copies what it has printed so far into the
  // run's output (called each time it gives the turn back). Throws nothing.
  long next_child_pid();
  // `vppid`: the child's parent as it sees it (0: this process; the forkserver's children
  // are the server's).
  void add_member(pid_t pid, long vpid, Fd link, std::string name, std::function<void()> drain, long vppid = 0);
  // The forkserver's virtual pid, given it at the first call of the run.
  long forkserver_pid();
  // After the hub signalled child `pid` (terminate, kill): waits until it has ended, so that
  // is_alive() says so at once, in every run alike.
  void member_signalled(pid_t pid);
  // Member side: the last report, right before the process exits. No-op in the hub.
  void leave();
  // The virtual pid of this process and of its parent.
  long pid() const { return pid_; }
  long ppid() const { return ppid_; }

  // How many decisions (points with two or more runnable threads) this run made.
  std::uint64_t decisions() const;

 private:
  enum class State { kRunning, kRunnable, kBlocked, kSleeping, kFinished };
  // A child process of the hub's, as it last reported its threads.
  struct Member {
    pid_t pid = 0;
    long vpid = 0;
    long vppid = 0;
    Fd link;
    Fd pidfd;
    std::string name;
    std::function<void()> drain;
    std::vector<turn::ThreadReport> threads;
    std::vector<Fd> fds;                      // the descriptors its kKernel threads wait on
    std::map<int, std::uint64_t> retry_after; // per thread number: progress_ at its failure
    std::map<std::string, std::unique_ptr<ThreadState>> proxies;  // candidates' names
    std::vector<int> to_stop;                 // threads a stuck report stopped, told next grant
    bool gone = false;
  };
  struct Slot;
  // One candidate: a local slot, or thread `index` of a member.
  struct Choice {
    Slot* slot = nullptr;
    Member* member = nullptr;
    std::size_t index = 0;
  };
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
    std::vector<pollfd> fds;        // while kBlocked on the kernel: what it waits for
    bool retry = false;             // while kBlocked in wait_shared: runs once another ran
    std::uint64_t retry_after = 0;  // progress_ when it last failed
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
  // Hub: whether a member's thread can run; runs it until the member gives the turn back.
  bool runnable(Member& p, std::size_t index) const;
  void run_member(Member& p, std::size_t index, std::unique_lock<std::mutex>& m);
  // Hub: forgets a member that has ended (its output copied out, its pidfd readable).
  void drop_member(Member& p);
  // Parks `me` on `site` (blocked on the kernel while `fds` is not empty; retrying shared
  // memory once another thread ran with `retry`) until it holds the turn again: kWoken.
  // kTimedOut when the clock is past `wake_at` already, kGivenUp when the scheduler has given
  // up (the caller waits on as a real run would).
  enum class Parking { kWoken, kTimedOut, kGivenUp };
  Parking park_on(Slot* me, WaitSite& site, double wake_at, const std::vector<pollfd>& fds, bool retry);
  // Member: reports this process's threads and returns the one the hub says runs next.
  Slot* ask_hub(std::unique_lock<std::mutex>& m);
  turn::Report report_of_threads(bool leaving) const;
  void take_grant(const turn::Grant& g);

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
  std::uint64_t progress_ = 0;  // turns given to threads not retrying in wait_shared
  // Processes: the hub's members, in start order; a member's link to its hub.
  std::vector<std::unique_ptr<Member>> members_;
  Fd link_;
  long pid_ = 0, ppid_ = 0;
  int children_ = 0;
  long forkserver_ = 0;
};

}  // namespace concur
