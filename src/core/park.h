// What every scheduler does around a wait: look for a stop before and after, and mark the
// thread parked on its site for as long as it waits, so that the deadlock detector
// (deadlock.h), the tracer (trace.h) and the run's wait table across processes
// (wait_table.h) see who waits on what. Also the waits on the kernel and on shared memory,
// Scheduler::wait_fds and wait_shared, which both schedulers do the same way (real time:
// processes are never virtual), are defined in park.cpp.
//
// Used by the schedulers (real_scheduler.h, deterministic.h) and by the few layers that
// wait outside them (an HTTP server's accept, the asyncio loop's poll); never by a demo.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include <poll.h>

#include "core/seam.h"
#include "core/trace_event.h"

namespace concur::detail {

// Throws ThreadExit if the run or this thread has been stopped. The main thread of a
// stopped run first waits for the others to unwind, with `held` (the caller's primitive
// mutex, if any) released meanwhile.
void check_stop(ThreadState& me, std::unique_lock<std::mutex>* held = nullptr);

// Marks a thread as parked on a site for the duration of a wait: what the deadlock
// detector, the wait table and the tracer read.
class Parked {
 public:
  Parked(ThreadState& me, WaitSite& site, bool forever);
  ~Parked();
  Parked(const Parked&) = delete;
  Parked& operator=(const Parked&) = delete;
  bool ok = false;  // set by the wait when it got what it waited for (traced at the end)

 private:
  trace::Woke why_woken() const;

  ThreadState& me_;
  WaitSite& site_;
  bool forever_;
  int unwinding_ = 0;  // exceptions in flight when it parked (traced runs): more at the end = a stop
};

// Scheduler::wait_fds, the same under both schedulers: ppoll on `fds` beside the run's
// stop descriptor and the thread's wake descriptor, parked on `site`.
int wait_kernel(WaitSite& site, const std::vector<pollfd>& fds, Deadline deadline);

// Scheduler::wait_shared, the same under both schedulers: `attempt` in steps of at most
// Scheduler::kSharedStep, parked on `site`.
bool wait_shared_memory(WaitSite& site, const std::function<bool(SteadyClock::time_point)>& attempt,
                        Deadline deadline);

}  // namespace concur::detail
