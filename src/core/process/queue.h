// multiprocessing.Queue: a FIFO of codec.h Values shared by a parent and its forked children.
//
// Built as Python builds it: a one-way pipe the items cross (length-prefixed, as Pipe's
// messages), a reader lock and a writer lock so that whole items go in and come out one at
// a time, and a bounded semaphore that counts the free places (maxsize <= 0: unbounded).
// The locks and the semaphore are process-shared (a robust pthread mutex each and a sem_t)
// in one anonymous shared page, mmap(MAP_SHARED | MAP_ANONYMOUS), made by the constructor:
// a child forked afterwards shares that page and inherits the pipe's fds. No named
// semaphore or /dev/shm segment exists; the page is unmapped when the Queue goes.
//
// Only the "fork" start method can hand a Queue to a child: spawn and forkserver children
// start from a fresh image and have neither the page nor the fds (the fds are O_CLOEXEC).
//
// put(value, block, timeout) waits for a free place (Full when none comes in time), then
// writes the item under the writer lock; get(block, timeout) takes the reader lock, waits
// for an item (Empty when none comes in time) and reads it whole. Unlike Python there is
// no feeder thread: put() writes the item itself, so an item is in the pipe, and empty()
// false, as soon as put() returns. Timeouts are lecture seconds; std::nullopt (Python's
// None) waits for ever, and a negative timeout waits not at all, as 0: CPython 3.11's
// SemLock.acquire and connection.wait clamp it, so get(true, -5) on an empty queue raises
// Empty at once, put(v, true, -5) into a full one Full at once, and neither raises
// ValueError (a non-blocking get ignores its timeout; an unbounded put never waits).
// Every wait is the seam's: the pipe's through Scheduler::wait_fd, the shared lock's and
// semaphore's through Scheduler::wait_shared; each throws ThreadExit when the run stops
// (watchdog, Ctrl-C). If a process dies holding a lock, the next taker recovers it (robust
// mutex), though an item it was half-writing or half-reading is then lost.
//
// qsize() is maxsize minus the free places (items put and not yet got, as Python counts);
// empty() says whether the pipe holds anything now. Both are snapshots, racy by nature.
// After close() put and get in this process throw ValueError("Queue is closed"); qsize()
// and full() still answer (they read the shared semaphore, as Python's do). close() closes
// this process's ends of the pipe only if this process put something (Python's feeder
// thread, started by the first put, closes them; an unused queue keeps them until it
// goes), so empty() afterwards is true or false for a queue never put to here, and
// OSError("handle is closed") otherwise, as in Python (where the feeder closes them a
// moment after close()). Other processes' copies are unaffected.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <optional>

#include "core/fd.h"
#include "core/process/codec.h"
#include "core/errors.h"

namespace concur::process {

class Queue {
 public:
  explicit Queue(int maxsize = 0);
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;
  ~Queue();

  void put(const Value& value, bool block = true, std::optional<double> timeout = std::nullopt);
  Value get(bool block = true, std::optional<double> timeout = std::nullopt);
  void put_nowait(const Value& value) { put(value, false); }
  Value get_nowait() { return get(false); }

  // True when an item waits now or arrives within `timeout` lecture seconds (std::nullopt:
  // for ever; negative: as 0); nothing is taken. Python's private Queue._poll; a parent
  // waits with it where Python spins on empty(). ValueError("Queue is closed") after close().
  bool poll(std::optional<double> timeout = 0.0) const;
  // The read end of the Queue's pipe (Python's Queue._reader): readable when an item
  // waits, for Scheduler::wait_fds beside other descriptors. -1 after close().
  int reader() const { return closed_ ? -1 : read_fd_.get(); }

  int qsize() const;
  bool empty() const;
  bool full() const;
  int maxsize() const { return maxsize_; }

  // Marks the queue closed in this process (later put/get throw ValueError) and closes this
  // process's ends of the pipe if this process has put into it.
  void close();
  bool closed() const { return closed_; }

 private:
  struct Shared;
  struct Sites;
  void check_open() const;
  int capacity() const;

  int maxsize_;
  std::atomic<bool> closed_{false};
  std::atomic<pid_t> put_by_{0};  // the last process that put through this object (0: none)
  Shared* shared_ = nullptr;  // the mmap'd page
  std::unique_ptr<Sites> sites_;  // const methods wait too
  Fd read_fd_;
  Fd write_fd_;
};

}  // namespace concur::process
