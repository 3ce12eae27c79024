#include "core/process/shared.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <new>

#include <fmt/format.h>

#include "core/process/realtime.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/process/codec.h"
#include "core/errors.h"

namespace concur::process {

namespace {

// The data starts after the mutex, aligned for any number type.
constexpr std::size_t kHeader =
    (sizeof(pthread_mutex_t) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);

// Anonymous shared memory, zero-filled by the kernel.
void* map_shared(std::size_t size) {
  void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw OSError(std::strerror(errno));
  return base;
}

// The lock lives at the start of the shared page: process-shared, recursive.
pthread_mutex_t* init_mutex(void* base, std::size_t size) {
  auto* mutex = new (base) pthread_mutex_t;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  int r = pthread_mutex_init(mutex, &attr);
  pthread_mutexattr_destroy(&attr);
  if (r != 0) {
    ::munmap(base, size);
    throw OSError(std::strerror(r));
  }
  return mutex;
}


}  // namespace

bool SharedLock::acquire(bool blocking, std::optional<double> timeout) {
  if (!blocking) {
    int r = pthread_mutex_trylock(mutex_);
    if (r == EOWNERDEAD) r = pthread_mutex_consistent(mutex_);
    if (r == 0) return true;
    if (r == EBUSY) return false;
    throw OSError(std::strerror(r));
  }
  return scheduler().wait_shared(site_, [this](SteadyClock::time_point until) {
    int r;
    if (until <= SteadyClock::now()) {
      r = pthread_mutex_trylock(mutex_);
    } else {
      timespec ts = realtime_at(until);
      r = pthread_mutex_timedlock(mutex_, &ts);
    }
    if (r == EOWNERDEAD) r = pthread_mutex_consistent(mutex_);  // its holder died: take it over
    if (r == 0) return true;
    if (r != ETIMEDOUT && r != EINTR && r != EBUSY) throw OSError(std::strerror(r));
    return false;
  }, timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never());
}

void SharedLock::release() {
  int r = pthread_mutex_unlock(mutex_);
  if (r == EPERM) throw AssertionError("attempt to release recursive lock not owned by thread");
  if (r != 0) throw OSError(std::strerror(r));
}

SharedBlock::SharedBlock(std::size_t bytes)
    : size_(kHeader + bytes), base_(map_shared(size_)), data_(static_cast<char*>(base_) + kHeader),
      creator_(::getpid()), lock_(init_mutex(base_, size_)) {}

SharedBlock::~SharedBlock() {
  // Only the creator destroys the mutex; a forked child that drops its copy only unmaps.
  if (::getpid() == creator_) pthread_mutex_destroy(static_cast<pthread_mutex_t*>(base_));
  ::munmap(base_, size_);
}

void check_typecode(char given, char expected) {
  if (given != expected)
    throw ValueError(fmt::format("typecode '{}' does not match the C type (expected '{}')", given, expected));
}

std::string item_repr(long long i) { return repr(Value(i)); }
std::string item_repr(double d) { return repr(Value(d)); }

}  // namespace concur::process
