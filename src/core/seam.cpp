#include "core/seam.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <thread>

namespace concur {

const char* kind_name(SiteKind kind) {
  switch (kind) {
    case SiteKind::kLock: return "lock";
    case SiteKind::kRLock: return "rlock";
    case SiteKind::kSemaphore: return "semaphore";
    case SiteKind::kEvent: return "event";
    case SiteKind::kCondition: return "condition";
    case SiteKind::kBarrier: return "barrier";
    case SiteKind::kQueue: return "queue";
    case SiteKind::kFuture: return "future";
    case SiteKind::kThread: return "thread";
    case SiteKind::kSleep: return "sleep";
    case SiteKind::kPipe: return "pipe";
  }
  return "?";
}

WaitSite::WaitSite(SiteKind kind, std::string label) : kind_(kind), label_(std::move(label)) {}

ThreadState::~ThreadState() {
  int fd = wake_fd.exchange(-1);
  if (fd >= 0) ::close(fd);
}

int ThreadState::wake_descriptor() {
  int fd = wake_fd.load();
  if (fd >= 0) return fd;
  int made = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (made < 0) return -1;  // out of descriptors: the wait still sees the run's stop_fd
  if (!wake_fd.compare_exchange_strong(fd, made)) {
    ::close(made);
    return fd;
  }
  return made;
}

Deadline Deadline::after(double lecture_seconds) {
  if (lecture_seconds < 0) return never();
  Scheduler& s = scheduler();
  return {s.now() + s.to_real(lecture_seconds)};
}

void Scheduler::adopt(ThreadState& t) {
  t.ident = static_cast<long>(pthread_self());
  t.native_id = static_cast<long>(gettid());
}

void Scheduler::pause() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

void yield_point(std::string_view what) { scheduler().point("", what); }

void stop_thread(ThreadState& t, int why) {
  t.stop.store(why);
  int fd = t.wake_fd.load();
  if (fd >= 0) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(fd, &one, sizeof one);
  }
  // A thread parked on a condition variable notices at its next slice: its site may be a
  // wait's own, gone the moment the wait returns, so it is not touched from here.
}

bool Scheduler::wait_fd(WaitSite& site, int fd, short events, Deadline deadline) {
  return wait_fds(site, {{fd, events, 0}}, deadline) == 0;
}

}  // namespace concur
