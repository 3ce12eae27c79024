// The waiting seam: the one place where any thread of a run blocks and is woken.
//
// Every blocking call of every primitive (Lock, RLock, Semaphore, Event, Condition,
// Barrier, Queue, Thread.join) and every lecture-clock sleep goes through `wait`,
// `notify` and `sleep` below, never through a condition variable of its own. The seam
// therefore knows, at any moment, which thread waits on which object (ThreadState::
// waiting_on) and who holds it (WaitSite::owner). That is what lets later layers plug in
// here without touching a primitive or a demo:
//   - the deadlock detector (deadlock.h) walks thread -> site -> owner -> site ...;
//   - the tracer (trace.h) records waits, wake-ups, acquisitions and releases;
//   - the wait table (wait_table.h) sees every wait of every process of the run;
//   - the scheduler is an interface with two implementations: the real one
//     (real_scheduler.h: OS threads in parallel, real time) and the deterministic one
//     (deterministic.h: one thread at a time, a seeded order, a virtual clock). begin_run
//     (run.h) installs one per run; what both do around a wait is in park.h.
//
// This file is the seam's vocabulary only: what a thread, a site, a deadline and a
// scheduler are. It includes nothing of the core's, and everything else builds on it.
//
// Primitives keep their own state behind their own std::mutex and call the seam with that
// mutex held, exactly as they would call a condition variable.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <poll.h>

namespace concur {

using SteadyClock = std::chrono::steady_clock;

// What a thread can wait on; used in deadlock reports and traces.
// kPipe: a file descriptor of the kernel's (a pipe or socket end: Pipe, a process Queue, a
// Manager's connection), waited on with wait_fd().
enum class SiteKind { kLock, kRLock, kSemaphore, kEvent, kCondition, kBarrier, kQueue, kFuture, kThread, kSleep, kPipe };
inline constexpr int kSiteKinds = 11;

// Lower-case Python-ish name of a kind ("lock", "semaphore", ...).
const char* kind_name(SiteKind kind);

struct ThreadState;  // below: a site names the thread that holds it

// The part of a primitive the seam sees. One primitive may have several sites (a Queue
// has "not empty", "not full" and "all tasks done"), all guarded by the primitive's mutex.
class WaitSite {
 public:
  WaitSite(SiteKind kind, std::string label);
  WaitSite(const WaitSite&) = delete;
  WaitSite& operator=(const WaitSite&) = delete;

  SiteKind kind() const { return kind_; }
  // A human name for reports: "fork 1", "Box.lock", or a default like "lock 3".
  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }

  // The thread that holds this site, for lock-like sites (Lock, RLock, a joined thread);
  // nullptr when free or when the kind has no single holder (Semaphore, Event, ...).
  std::atomic<ThreadState*> owner{nullptr};

  // Used only by the scheduler: threads currently parked here, and how to wake them.
  std::atomic<int> parked{0};
  std::condition_variable cv;

 private:
  SiteKind kind_;
  std::string label_;
};

// One thread as the core knows it: Python's name and ids, and what it waits on now.
struct ThreadState {
  std::string name;
  bool daemon = false;
  long ident = 0;      // Python's get_ident(): a per-process thread identifier
  long native_id = 0;  // the OS thread id (gettid)
  // The site this thread is parked on, or nullptr while it runs; whether that wait has
  // no deadline (only such waits can be part of a deadlock).
  std::atomic<WaitSite*> waiting_on{nullptr};
  std::atomic<bool> wait_forever{false};
  // Set to make this thread's next wait throw ThreadExit: 1 = it is in a reported
  // deadlock, 2 = it is a daemon stopped at exit. 0 = run on.
  std::atomic<int> stop{0};
  // Where join() waits; owner is this thread until it finishes.
  WaitSite done{SiteKind::kThread, ""};
  bool finished = false;  // guarded by done_mutex
  std::mutex done_mutex;
  // Sleeps park here.
  WaitSite sleep_site{SiteKind::kSleep, "sleep"};
  std::mutex sleep_mutex;
  // An eventfd that wakes this thread's waits on the kernel (Scheduler::wait_fd) when
  // stop_thread() stops it; made on its first such wait, -1 until then.
  std::atomic<int> wake_fd{-1};
  // Its row in the run's wait table across processes (wait_table.h), -1 if none.
  int row = -1;
  // The tracer's buffer of this thread's events (trace.cpp), touched by this thread only.
  // Here, not in a thread_local: in a virtual run the demo threads are fibers on one OS
  // thread (fiber.h).
  mutable std::shared_ptr<void> trace_buffer;
  // asyncio's state for this thread (aio/loop.h: its loop, the running loop and task), for
  // the same reason.
  std::shared_ptr<void> aio;

  ThreadState() = default;
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;
  ~ThreadState();
  // This thread's wake descriptor, made now if it has none.
  int wake_descriptor();
};

// A point in real time after which a wait gives up; `never()` waits for ever.
struct Deadline {
  std::optional<SteadyClock::time_point> at;
  static Deadline never() { return {}; }
  // `lecture_seconds` from now on the lecture clock; negative means never (Python's -1).
  static Deadline after(double lecture_seconds);
  bool forever() const { return !at.has_value(); }
};

// The policy behind the seam. The real scheduler (real_scheduler.h) lets the OS run threads
// in parallel; the deterministic one (deterministic.h) runs them one at a time in a seeded
// order on a virtual clock. It alone owns time: lecture seconds, and what they are in real
// time.
class Scheduler {
 public:
  virtual ~Scheduler() = default;

  // Blocks the caller until ready() is true and returns true; or until `deadline` passes
  // and returns ready()'s last value. `lk` holds the mutex that guards what ready() reads;
  // it is held on entry and on return, and released while parked.
  // Throws ThreadExit when the run stops the thread (watchdog, Ctrl-C, reported deadlock,
  // shutdown of a daemon thread).
  virtual bool wait(std::unique_lock<std::mutex>& lk, WaitSite& site,
                    const std::function<bool()>& ready, Deadline deadline) = 0;

  // Wakes up to `n` threads parked on `site` (all when n < 0). Call it with the mutex
  // that guards the site's state held, after changing that state.
  virtual void notify(WaitSite& site, int n) = 0;

  // Sleeps for `lecture_seconds` on the lecture clock. Throws ThreadExit like wait().
  virtual void sleep(double lecture_seconds) = 0;

  // Lecture seconds since the run began.
  virtual double elapsed() const = 0;

  // Converts a lecture duration to a duration on this scheduler's clock (real time under
  // the current time scale; lecture time itself on a virtual clock).
  virtual SteadyClock::duration to_real(double lecture_seconds) const = 0;

  // Now on this scheduler's clock, the one Deadline measures against.
  virtual SteadyClock::time_point now() const { return SteadyClock::now(); }

  // True when threads run one at a time in a seeded order on a virtual clock
  // (deterministic.h); layers with a clock of their own (the asyncio loop) follow it.
  virtual bool is_virtual() const { return false; }

  // A scheduling point: the calling thread is about to `action` `object` ("acquire",
  // "fork 3"). A real run leaves the choice to the OS and does nothing here; a
  // deterministic one may run another thread first. Call it holding no primitive's mutex.
  virtual void point(const char* /*action*/, std::string_view /*object*/ = {}) {}

  // Thread life cycle, for schedulers that run threads in turn. on_start: the parent, when
  // `t` is about to start. start_fiber: the parent, next: a scheduler that runs demo threads
  // as fibers of its own (deterministic.h: all on the run's one OS thread) takes `body` and
  // returns true, and `body` runs when t first gets the turn; false (the real scheduler):
  // the parent starts an OS thread; throws std::bad_alloc when there is no stack for it.
  // adopt: the new OS thread, first thing, sets t's ids (Python's ident and native_id).
  // on_exit: the finished thread, last thing. let_finish: a Thread's destructor, before it
  // joins the OS thread of `t` (which must be allowed to finish). await_other_threads:
  // MainThread, when the run is stopped, before it unwinds: returns once every other thread
  // of the run has ended (they may need what main holds to unwind). None but start_fiber
  // throws.
  virtual void on_start(ThreadState& /*t*/) {}
  virtual bool start_fiber(ThreadState& /*t*/, std::function<void()> /*body*/) { return false; }
  virtual void adopt(ThreadState& t);
  virtual void on_exit(ThreadState& /*t*/) {}
  virtual void let_finish(ThreadState& /*t*/) {}
  virtual void await_other_threads();

  // Lets other threads run for a moment without waiting on anything (used to poll in a
  // path that must not throw). Never throws.
  virtual void pause();

  // Waiting on the kernel rather than on a primitive of this process: `fd` (a pipe or
  // socket end; a child's pidfd, readable once the child has ended) becoming ready for
  // `events` (poll(2)'s POLLIN, POLLOUT). Returns true when it is, false when `deadline`
  // passes first. The caller is parked on `site` meanwhile, as in wait(): traces, the
  // deadlock detector and the run's stuck check see it. A stopped run or thread wakes it at
  // once (it polls the stop descriptors too): throws ThreadExit like wait(). Hold no
  // primitive's mutex.
  bool wait_fd(WaitSite& site, int fd, short events, Deadline deadline);
  // The same for several descriptors at once (Python's multiprocessing.connection.wait):
  // returns the index of the first one that is ready, or -1 when `deadline` passes first.
  // A negative fd in `fds` is ignored, as poll(2) does.
  // The real scheduler waits in ppoll(2), in real time (defined with what it shares around a
  // wait, in park.cpp); the deterministic one parks the thread until poll(2) finds one ready
  // when it next chooses (deterministic.h).
  virtual int wait_fds(WaitSite& site, const std::vector<pollfd>& fds, Deadline deadline);

  // Waiting on an object in shared memory the kernel gives no descriptor for (a
  // process-shared robust mutex, a sem_t): calls `attempt(until)`, which must block at most
  // until `until`, until it returns true (then true) or `deadline` passes (then false;
  // a deadline already past makes exactly one attempt). The one polling loop of the core:
  // `until` is at most kSharedStep away, so a stop is noticed within that step. Parked on
  // `site` as in wait(); throws ThreadExit like wait().
  // Defined in park.cpp, as wait_fds.
  virtual bool wait_shared(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                           Deadline deadline);
  static constexpr auto kSharedStep = std::chrono::milliseconds(10);
};

// Stops thread `t` (`why`: 1 = it is in a reported deadlock, 2 = a daemon stopped at exit,
// 3 = its starter is unwinding an exception):
// its current or next wait throws ThreadExit. Wakes it now if it waits on the kernel.
void stop_thread(ThreadState& t, int why);

// A place where a deterministic run may switch threads and a real run does nothing: where
// Python's interpreter could switch between two bytecodes (the race demo puts one between
// its load and its store). `what` says what the thread does next ("x.store").
void yield_point(std::string_view what);


// The scheduler of the current run: the one begin_run (run.h) installed, or a real one at
// scale 1 before any run began.
Scheduler& scheduler();

}  // namespace concur
