// multiprocessing.Pipe: two Connection ends over a socketpair (duplex, the default) or a
// pipe (one way: the first end reads, the second writes). Messages are length-prefixed
// (4 bytes, then a codec.h value), so each recv() returns exactly one whole send().
//
// recv() waits in slices of the seam's kSlice so a stopped run is noticed (it then throws
// ThreadExit); recv() after the peer closed and nothing is left throws EOFError; using the
// wrong end of a one-way pipe throws OSError, as Python does.
#pragma once

#include <utility>

#include "codec.h"
#include "errors.h"

namespace concur::process {

class Connection {
 public:
  Connection() = default;
  Connection(int fd, bool readable, bool writable) : fd_(fd), readable_(readable), writable_(writable) {}
  Connection(Connection&& o) noexcept { *this = std::move(o); }
  Connection& operator=(Connection&& o) noexcept;
  ~Connection() { close(); }

  void send(const Value& value);
  Value recv();
  // True when a message (or end of file) can be read within `timeout` lecture seconds.
  bool poll(double timeout = 0);
  void close();
  bool closed() const { return fd_ < 0; }
  int fileno() const { return fd_; }
  bool readable() const { return readable_; }
  bool writable() const { return writable_; }

 private:
  int fd_ = -1;
  bool readable_ = false;
  bool writable_ = false;
};

// Pipe(duplex): (conn1, conn2). One way: conn1 can only recv, conn2 can only send.
std::pair<Connection, Connection> Pipe(bool duplex = true);

}  // namespace concur::process
