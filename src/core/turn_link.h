// The wire between the processes of one deterministic run (deterministic.h).
//
// In a virtual run the turn spans processes: the run's first process (the hub) holds the
// scheduler, and every child it starts (a member) asks it for the turn. Each member has one
// link to the hub, a SOCK_SEQPACKET socket pair made before the child starts: a message is
// one packet, so neither side ever reads half of one.
//
// Two messages go back and forth, strictly in turn:
//   - a Report, member -> hub, whenever the member gives the turn up (a scheduling point,
//     a wait, a sleep, a thread's end) or ends (`leaving`): the state of each of its
//     threads. A thread waiting on the kernel sends copies of its descriptors along
//     (SCM_RIGHTS), so that the hub can see for itself, with poll(2), when a pipe has data
//     or a child has ended.
//   - a Grant, hub -> member: which of its threads runs now, the virtual clock, whether the
//     run has been stopped, and the member's virtual pids.
// While a member holds the turn the hub waits for its next Report; nothing else runs.
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/fd.h"

namespace concur::turn {

// A thread's state as a member reports it.
enum class Wants : std::uint8_t {
  kRun = 0,     // runnable at a scheduling point
  kSite = 1,    // blocked on a primitive of its own process: the member says when it can run
  kSleep = 2,   // asleep, or in a timed wait, until wake_at
  kKernel = 3,  // blocked until one of `fds` is ready (a pipe, a socket, a child's pidfd)
  kRetry = 4,   // failed to take an object in shared memory: to try again once another ran
  kDone = 5,    // finished
};

struct ThreadReport {
  int number = 0;       // the member's own numbering: 0 for its MainThread
  Wants wants = Wants::kRun;
  bool stopped = false;  // told to stop (its next wait unwinds): runnable whatever it waits for
  bool ignore_stop = false;  // waits for a thread to finish whatever stops: even a stopped run's
  int kind = -1;         // what it waits on (a SiteKind), -1: nothing
  std::string site;      // its label ("Pipe", "Process-1:1")
  double wake_at = -1;   // lecture seconds; -1: never
  std::string name;      // "MainThread", "Thread-1"
  std::string doing;     // "recv", "wait for Pipe"
  std::vector<pollfd> fds;  // kKernel: what it waits for (descriptors of the sender)
};

struct Report {
  bool leaving = false;  // the member's last report: it exits now
  std::vector<ThreadReport> threads;
};

struct Grant {
  int number = 0;        // the thread to run
  double now = 0;        // the virtual clock
  int stop = 0;          // why the run has been stopped (a StopReason; 0: it has not): unwind
  std::vector<int> stop_threads;  // threads a report of the run's stuck waits stopped
  long pid = 0;          // the member's virtual pid and its parent's
  long ppid = 0;
};

// A socket pair for a new member: .first stays with the hub, .second goes to the child.
// Both close-on-exec. Throws OSError when none can be made.
std::pair<Fd, Fd> make_link();

// Sends `r` on `link`, with the kKernel threads' descriptors. Throws OSError.
void send_report(int link, const Report& r);
// Receives a Report; its descriptors are the receiver's own copies, owned by `fds`
// (ThreadReport::fds refers to them). False at end of file (the member is gone).
bool recv_report(int link, Report& r, std::vector<Fd>& fds);

// Sends or receives a Grant. recv_grant returns false at end of file (the hub is gone).
void send_grant(int link, const Grant& g);
bool recv_grant(int link, Grant& g);

}  // namespace concur::turn
