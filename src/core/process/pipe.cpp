#include "core/process/pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/trace.h"

namespace concur::process {

namespace {

std::uint32_t length_of(const std::string& b, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return byte(0) | (byte(1) << 8) | (byte(2) << 16) | (byte(3) << 24);
}

}  // namespace

Connection::Connection(Fd fd, bool readable, bool writable)
    : fd_(std::move(fd)), readable_(readable), writable_(writable) {
  if (fd_.get() < 0) throw ValueError("invalid handle");
  if (!readable && !writable) throw ValueError("at least one of `readable` and `writable` must be True");
  int flags = ::fcntl(fd_.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK);
}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    fd_ = std::move(o.fd_);  // closes ours first
    readable_ = o.readable_;
    writable_ = o.writable_;
    buffer_ = std::move(o.buffer_);
    head_ = std::exchange(o.head_, 0);
    label_ = std::move(o.label_);
    site_ = std::move(o.site_);
  }
  return *this;
}

void Connection::close() { fd_.reset(); }

bool Connection::wait(short events, Deadline deadline) {
  if (!site_) site_ = std::make_unique<WaitSite>(SiteKind::kPipe, label_);
  return scheduler().wait_fd(*site_, fd_.get(), events, deadline);
}

void Connection::send(const Value& value) {
  if (!fd_) throw OSError("handle is closed");
  if (!writable_) throw OSError("connection is read-only");
  // The length first, then the body, in one buffer: one write() for the whole message.
  std::string msg(4, '\0');
  encode_into(msg, value);
  auto n = static_cast<std::uint32_t>(msg.size() - 4);
  for (int i = 0; i < 4; ++i) msg[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  const char* p = msg.data();
  std::size_t left = msg.size();
  while (left > 0) {
    ssize_t w = ::write(fd_.get(), p, left);  // SIGPIPE is ignored (Runtime::reset): EPIPE
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        wait(POLLOUT, Deadline::never());  // the pipe is full: wait for the reader
        continue;
      }
      if (errno == EPIPE) throw OSError("[Errno 32] Broken pipe");
      throw OSError(std::strerror(errno));
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  trace::record_item(SiteKind::kPipe, label_, "sends a message into", 0, [&] { return trace::Told{{}, repr(value), trace::identity_of(fd_.get())}; });
}

bool Connection::whole() const {
  std::size_t have = buffer_.size() - head_;
  return have >= 4 && have - 4 >= length_of(buffer_, head_);
}

bool Connection::fill(bool block) {
  for (;;) {
    char chunk[65536];
    ssize_t r = ::read(fd_.get(), chunk, sizeof chunk);
    if (r > 0) {
      if (head_ > 0 && head_ >= buffer_.size() / 2) {  // drop what was returned, now and then
        buffer_.erase(0, head_);
        head_ = 0;
      }
      buffer_.append(chunk, static_cast<std::size_t>(r));
      return true;
    }
    if (r == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw OSError(std::strerror(errno));
    if (!block) return true;
    wait(POLLIN, Deadline::never());
  }
}

Value Connection::recv() {
  if (!fd_) throw OSError("handle is closed");
  if (!readable_) throw OSError("connection is write-only");
  while (!whole()) {
    if (!fill(true)) {
      if (buffer_.size() == head_) throw EOFError();
      throw EOFError("message truncated");
    }
  }
  std::uint32_t n = length_of(buffer_, head_);
  Value v = decode(std::string_view(buffer_).substr(head_ + 4, n));
  head_ += 4 + static_cast<std::size_t>(n);
  trace::record_item(SiteKind::kPipe, label_, "receives a message from", 0, [&] { return trace::Told{{}, repr(v), trace::identity_of(fd_.get())}; });
  if (head_ == buffer_.size()) {
    buffer_.clear();  // all returned: start again at the front, keeping the capacity
    head_ = 0;
  }
  return v;
}

bool Connection::poll(std::optional<double> timeout) {
  if (!fd_) throw OSError("handle is closed");
  if (!readable_) throw OSError("connection is write-only");
  if (buffer_.size() > head_) return true;
  return wait(POLLIN, timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never());
}

std::pair<Connection, Connection> Pipe(bool duplex) {
  int fds[2];
  if (duplex) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw OSError(std::strerror(errno));
    return {Connection(Fd(fds[0]), true, true), Connection(Fd(fds[1]), true, true)};
  }
  PipeEnds p = make_pipe(O_CLOEXEC);
  if (!p.read) throw OSError(std::strerror(errno));
  return {Connection(std::move(p.read), true, false), Connection(std::move(p.write), false, true)};
}

}  // namespace concur::process
