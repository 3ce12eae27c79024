#include "pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "../runtime.h"
#include "../seam.h"

namespace concur::process {

namespace {

void write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == ENOTSOCK) w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw OSError("[Errno 32] Broken pipe");
      throw OSError(std::strerror(errno));
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

// Waits until fd is readable or the deadline passes, in slices, noticing a stopped run.
bool wait_readable(int fd, Deadline deadline) {
  for (;;) {
    if (runtime().cancel_code() != 0) throw ThreadExit{ExitReason::kCancelled};
    auto slice = std::chrono::duration_cast<std::chrono::milliseconds>(RealScheduler::kSlice);
    if (deadline.at) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline.at - SteadyClock::now());
      if (left.count() <= 0) slice = std::chrono::milliseconds(0);
      else if (left < slice) slice = left;
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(slice.count()));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) throw OSError(std::strerror(errno));
    if (deadline.at && SteadyClock::now() >= *deadline.at) return false;
  }
}

// Reads exactly n bytes; false at end of file before the first byte.
bool read_all(int fd, char* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    wait_readable(fd, Deadline::never());
    ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw OSError(std::strerror(errno));
    }
    if (r == 0) {
      if (got == 0) return false;
      throw EOFError("message truncated");
    }
    got += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = std::exchange(o.fd_, -1);
    readable_ = o.readable_;
    writable_ = o.writable_;
  }
  return *this;
}

void Connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Connection::send(const Value& value) {
  if (fd_ < 0) throw OSError("handle is closed");
  if (!writable_) throw OSError("connection is read-only");
  std::string body = encode(value);
  std::string msg(4, '\0');
  auto n = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) msg[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  msg += body;
  write_all(fd_, msg.data(), msg.size());
}

Value Connection::recv() {
  if (fd_ < 0) throw OSError("handle is closed");
  if (!readable_) throw OSError("connection is write-only");
  unsigned char len[4];
  if (!read_all(fd_, reinterpret_cast<char*>(len), 4)) throw EOFError();
  std::uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (static_cast<std::uint32_t>(len[3]) << 24);
  std::string body(n, '\0');
  if (n > 0 && !read_all(fd_, body.data(), n)) throw EOFError("message truncated");
  return decode(body);
}

bool Connection::poll(double timeout) {
  if (fd_ < 0) throw OSError("handle is closed");
  if (!readable_) throw OSError("connection is write-only");
  return wait_readable(fd_, Deadline::after(timeout));
}

std::pair<Connection, Connection> Pipe(bool duplex) {
  int fds[2];
  if (duplex) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw OSError(std::strerror(errno));
    return {Connection(fds[0], true, true), Connection(fds[1], true, true)};
  }
  if (::pipe2(fds, O_CLOEXEC) != 0) throw OSError(std::strerror(errno));
  return {Connection(fds[0], true, false), Connection(fds[1], false, true)};
}

}  // namespace concur::process
