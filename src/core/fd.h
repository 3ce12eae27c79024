// Fd: a file descriptor with one owner, closed exactly once — when its owner goes, on
// reset(), or never if release() hands it on. Move-only, as a descriptor has one owner
// (as android-base's unique_fd, or std::unique_ptr for a pointer).
//
// An empty Fd holds -1. Closing never changes errno, so an Fd going out of scope on an
// error path leaves the failed call's errno for the error message. Whether the descriptor
// is inherited across exec (O_CLOEXEC) is the opener's choice; Fd does not change it.
// A forked child gets a copy of every Fd in memory: it closes its copies (reset()) where
// the parent would, or leaves them to exec/_exit.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <utility>

namespace concur {

class Fd {
 public:
  Fd() = default;
  // Takes `fd` (-1: empty).
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  // The descriptor, still owned here (-1 if empty): for a system call.
  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }

  // Gives the descriptor up without closing it; the Fd is empty after.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

  // Closes the descriptor held (if any), then holds `fd`.
  void reset(int fd = -1) noexcept {
    int old = std::exchange(fd_, fd);
    if (old >= 0) {
      int saved = errno;
      ::close(old);
      errno = saved;
    }
  }

 private:
  int fd_ = -1;
};

// The two ends of a pipe.
struct PipeEnds {
  Fd read;
  Fd write;
};

// pipe2(2) with `flags` (O_CLOEXEC, O_NONBLOCK): both ends empty, errno set, if it failed.
inline PipeEnds make_pipe(int flags) {
  int fds[2];
  if (::pipe2(fds, flags) != 0) return {};
  return {Fd(fds[0]), Fd(fds[1])};
}

}  // namespace concur
