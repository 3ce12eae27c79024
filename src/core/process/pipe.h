// multiprocessing.Pipe: two Connection ends over a socketpair (duplex, the default) or a
// pipe (one way: the first end reads, the second writes). Messages are length-prefixed
// (4 bytes, then a codec.h value), so each recv() returns exactly one whole send().
//
// A message costs two system calls when the reader is not ahead of the writer: send() is
// one write() of the whole message; recv() is one read() of whatever has arrived (a
// Connection reads ahead into its own buffer, so, as in Python, one end has one reader).
// When nothing has arrived, recv() waits in the seam (Scheduler::wait_fd, parked on the
// connection's "pipe" site): a stopped run wakes it at once (ThreadExit). recv() after the
// peer closed and nothing is left throws EOFError; using the wrong end of a one-way pipe
// throws OSError, as Python does. The descriptor is made non-blocking (for every process
// that shares it), so no read or write ever blocks outside the seam.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/fd.h"
#include "core/seam.h"
#include "core/process/codec.h"
#include "core/errors.h"

namespace concur::process {

class Connection {
 public:
  Connection() = default;
  // Takes `fd` (a pipe end or a connected stream socket) and makes it non-blocking. As
  // Python's: ValueError("invalid handle") for a negative descriptor (Connection(-1)), and
  // ValueError("at least one of `readable` and `writable` must be True") for neither.
  Connection(Fd fd, bool readable, bool writable);
  Connection(Connection&& o) noexcept { *this = std::move(o); }
  Connection& operator=(Connection&& o) noexcept;
  ~Connection() { close(); }

  void send(const Value& value);
  Value recv();
  // True when a message (or end of file) can be read within `timeout` lecture seconds;
  // std::nullopt (Python's None) waits for ever, a negative timeout not at all (as 0:
  // CPython's connection.wait). OSError("handle is closed") once closed.
  bool poll(std::optional<double> timeout = 0.0);
  void close();
  bool closed() const { return !fd_; }
  int fileno() const { return fd_.get(); }
  bool readable() const { return readable_; }
  bool writable() const { return writable_; }
  // The name its waits show in traces and reports ("pipe" unless set).
  void set_label(std::string label) { label_ = std::move(label); }

 private:
  // Waits for `events` on the descriptor, parked on this connection's site.
  bool wait(short events, Deadline deadline);
  // Reads what has arrived into the buffer; false at end of file. Waits (in the seam)
  // when nothing has arrived and `block`; returns true with nothing new when !block.
  bool fill(bool block);
  // Whether the buffer holds one whole message.
  bool whole() const;

  Fd fd_;
  bool readable_ = false;
  bool writable_ = false;
  std::string buffer_;  // read ahead; bytes from head_ on are not yet returned by recv()
  std::size_t head_ = 0;
  std::string label_ = "pipe";
  std::unique_ptr<WaitSite> site_;  // made on the first wait
};

// Pipe(duplex): (conn1, conn2). One way: conn1 can only recv, conn2 can only send.
std::pair<Connection, Connection> Pipe(bool duplex = true);

}  // namespace concur::process
