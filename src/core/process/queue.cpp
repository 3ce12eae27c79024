#include "core/process/queue.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>

#include "core/process/realtime.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"

namespace concur::process {

// The page every process that has the Queue shares. glibc's process-shared mutexes and
// semaphores hold nothing outside it, so the kernel frees all with the page's last mapping.
struct Queue::Shared {
  pthread_mutex_t rlock;
  pthread_mutex_t wlock;
  sem_t slots;  // free places
};

namespace {

// CPython 3.11: no wait when not blocking; None for ever; a negative timeout as 0.
Deadline deadline_of(bool block, std::optional<double> timeout) {
  if (!block) return Deadline{SteadyClock::now()};
  if (!timeout) return Deadline::never();
  return Deadline::after(std::max(0.0, *timeout));
}

// A process-shared robust mutex held for a scope. A lock whose holder died is made
// consistent and taken.
class RobustHold {
 public:
  RobustHold(pthread_mutex_t& m, WaitSite& site, Deadline deadline) : m_(m) {
    held_ = scheduler().wait_shared(site, [&](SteadyClock::time_point until) {
      if (until <= SteadyClock::now()) {
        int r = ::pthread_mutex_trylock(&m_);
        if (r == EOWNERDEAD) {
          ::pthread_mutex_consistent(&m_);
          r = 0;
        }
        return r == 0;
      }
      timespec ts = realtime_at(until);
      int r = ::pthread_mutex_timedlock(&m_, &ts);
      if (r == EOWNERDEAD) {
        ::pthread_mutex_consistent(&m_);
        r = 0;
      }
      if (r != 0 && r != ETIMEDOUT && r != EINTR) throw OSError(std::strerror(r));
      return r == 0;
    }, deadline);
  }
  RobustHold(const RobustHold&) = delete;
  RobustHold& operator=(const RobustHold&) = delete;
  ~RobustHold() {
    if (held_) ::pthread_mutex_unlock(&m_);
  }
  bool held() const { return held_; }

 private:
  pthread_mutex_t& m_;
  bool held_;
};

void init_mutex(pthread_mutex_t& m) {
  pthread_mutexattr_t a;
  ::pthread_mutexattr_init(&a);
  ::pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  ::pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  ::pthread_mutex_init(&m, &a);
  ::pthread_mutexattr_destroy(&a);
}

void write_all(int fd, WaitSite& site, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        scheduler().wait_fd(site, fd, POLLOUT, Deadline::never());  // the pipe is full: wait for a reader
        continue;
      }
      throw OSError(std::strerror(errno));
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void read_all(int fd, WaitSite& site, char* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        scheduler().wait_fd(site, fd, POLLIN, Deadline::never());  // the writer is still writing this item
        continue;
      }
      throw OSError(std::strerror(errno));
    }
    if (r == 0) throw EOFError();
    p += r;
    n -= static_cast<std::size_t>(r);
  }
}

}  // namespace

// What the Queue's waits are parked on (traces, reports): this process's view of it.
struct Queue::Sites {
  WaitSite not_empty{SiteKind::kQueue, "Queue not empty"};
  WaitSite not_full{SiteKind::kQueue, "Queue not full"};
  WaitSite room{SiteKind::kQueue, "Queue's pipe has room"};  // a put whose item fills the pipe
  WaitSite rlock{SiteKind::kLock, "Queue reader lock"};
  WaitSite wlock{SiteKind::kLock, "Queue writer lock"};
};

Queue::Queue(int maxsize) : maxsize_(maxsize <= 0 ? 0 : maxsize), sites_(std::make_unique<Sites>()) {
  void* page = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw OSError(std::strerror(errno));
  shared_ = static_cast<Shared*>(page);
  init_mutex(shared_->rlock);
  init_mutex(shared_->wlock);
  ::sem_init(&shared_->slots, 1, static_cast<unsigned>(capacity()));
  PipeEnds p = make_pipe(O_CLOEXEC | O_NONBLOCK);
  if (!p.read) {
    int e = errno;
    ::munmap(shared_, sizeof(Shared));
    throw OSError(std::strerror(e));
  }
  read_fd_ = std::move(p.read);
  write_fd_ = std::move(p.write);  // the kernel's pipe size (64 KiB), as Python's Queue has
}

Queue::~Queue() {
  read_fd_.reset();
  write_fd_.reset();
  ::munmap(shared_, sizeof(Shared));
}

int Queue::capacity() const { return maxsize_ > 0 ? maxsize_ : SEM_VALUE_MAX; }

void Queue::check_open() const {
  if (closed_) throw ValueError("Queue is closed");
}

void Queue::put(const Value& value, bool block, std::optional<double> timeout) {
  check_open();
  put_by_ = ::getpid();
  // A free place first (Full when none comes in time), then the item, whole, under the
  // writer lock.
  Deadline deadline = deadline_of(block, timeout);
  bool got_place = scheduler().wait_shared(sites_->not_full, [&](SteadyClock::time_point until) {
    if (until <= SteadyClock::now()) return ::sem_trywait(&shared_->slots) == 0;
    timespec ts = realtime_at(until);
    return ::sem_timedwait(&shared_->slots, &ts) == 0;
  }, deadline);
  if (!got_place) throw Full();
  std::string body = encode(value);
  std::string msg(4, '\0');
  auto n = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) msg[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  msg += body;
  try {
    RobustHold lock(shared_->wlock, sites_->wlock, Deadline::never());
    write_all(write_fd_.get(), sites_->room, msg.data(), msg.size());
    if (trace::on()) trace::record_item(SiteKind::kQueue, "Queue", "puts an item into", qsize(), [&] { return trace::Told{{}, repr(value), reinterpret_cast<std::uintptr_t>(shared_)}; });
  } catch (...) {
    ::sem_post(&shared_->slots);  // the item did not go in: give its place back
    throw;
  }
}

Value Queue::get(bool block, std::optional<double> timeout) {
  check_open();
  // The reader lock, then an item (Empty when none comes in time), read whole; then its
  // place is free again.
  Deadline deadline = deadline_of(block, timeout);
  std::string body;
  {
    RobustHold lock(shared_->rlock, sites_->rlock, deadline);
    if (!lock.held() || !scheduler().wait_fd(sites_->not_empty, read_fd_.get(), POLLIN, deadline)) throw Empty();
    unsigned char len[4];
    read_all(read_fd_.get(), sites_->not_empty, reinterpret_cast<char*>(len), 4);
    std::uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (static_cast<std::uint32_t>(len[3]) << 24);
    body.assign(n, '\0');
    read_all(read_fd_.get(), sites_->not_empty, body.data(), n);
  }
  ::sem_post(&shared_->slots);
  if (trace::on()) trace::record_item(SiteKind::kQueue, "Queue", "gets an item from", qsize(), [&] { return trace::Told{{}, repr(decode(body)), reinterpret_cast<std::uintptr_t>(shared_)}; });
  return decode(body);
}

bool Queue::poll(std::optional<double> timeout) const {
  check_open();
  Deadline deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
  return scheduler().wait_fd(sites_->not_empty, read_fd_.get(), POLLIN, deadline);
}

int Queue::qsize() const {
  int free_places = 0;
  ::sem_getvalue(&shared_->slots, &free_places);
  return capacity() - free_places;
}

bool Queue::empty() const {
  if (!read_fd_) throw OSError("handle is closed");  // closed by a close() after a put here
  pollfd p{read_fd_.get(), POLLIN, 0};
  return ::poll(&p, 1, 0) <= 0;
}

bool Queue::full() const {
  int free_places = 0;
  ::sem_getvalue(&shared_->slots, &free_places);
  return free_places == 0;
}

void Queue::close() {
  closed_ = true;
  // Python's feeder thread closes both ends once it has flushed; only a put starts it (in
  // this process: a forked child's copy starts without one).
  if (put_by_ != ::getpid()) return;
  read_fd_.reset();
  write_fd_.reset();
}

}  // namespace concur::process
