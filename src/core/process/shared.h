// multiprocessing.Value and multiprocessing.Array: numbers in shared memory, with a lock.
//
// The memory is one mmap(MAP_SHARED | MAP_ANONYMOUS) region per object, made when the
// object is constructed. A child made by fork() AFTER that inherits the mapping itself (not
// a copy): what the child writes, the parent reads. Spawn and forkserver children start
// from a fresh program image and cannot see these mappings at all (the lecture's Python
// pickles a handle to a named block; concur keeps only anonymous memory), so use Value and
// Array with the default "fork" start method. Nothing is left behind: the region is
// unmapped when the object goes, and the kernel drops it when the last process that maps
// it ends.
//
// The C type is the template argument; the constructor takes Python's typecode too, which
// must name it: 'i' int, 'q' long long, 'f' float, 'd' double (ValueError otherwise).
//     SharedValue<int> counter('i', 0);              // Value('i', 0)
//     SharedValue<double> num('d', 0.0);             // Value('d', 0.0)
//     SharedArray<int> zeros('i', 10);               // Array('i', 10): ten zeros
//     SharedArray<int> arr('i', {1, 2, 3});          // Array('i', [1, 2, 3])
// (The name `Value` is taken by the codec's value type, hence SharedValue/SharedArray.)
//
// Access reads like Python: `counter.value += 1`, `int n = counter.value`, `arr[i] += 1`,
// `arr.size()` (len), `arr.list()` (arr[:]). As in Python's Synchronized wrapper, each read
// and each write takes the object's lock on its own, so `counter.value += 1` is a locked
// read, then a locked write: NOT atomic, and two processes can lose an update between
// them. That is why the lecture holds get_lock() around it:
//     { std::lock_guard with(counter.get_lock()); counter.value += 1; }
// get_lock() is a process-shared RECURSIVE lock (a pthread mutex with PTHREAD_PROCESS_SHARED
// and PTHREAD_MUTEX_RECURSIVE, living in the shared page): the holder's own reads and writes
// take it again without blocking, as Python's RLock allows. Waiting for it is the seam's
// (Scheduler::wait_shared): it notices a stopped run (watchdog, Ctrl-C) within the seam's
// shared step and then throws ThreadExit.
// The core's deadlock detector does not see this lock. A process killed while holding it
// would leave it held for ever in Python; here the mutex is robust, so the next taker gets
// it (the dead holder's change may be half done) and the run goes on instead of hanging.
#pragma once

#include <pthread.h>
#include <sys/types.h>

#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "core/seam.h"
#include "core/process/codec.h"

namespace concur {

// Python's IndexError, as a ctypes array raises it ("invalid index").
struct IndexError : PyError {
  explicit IndexError(const std::string& m) : PyError("IndexError", m) {}
};

}  // namespace concur

namespace concur::process {

// The lock get_lock() returns: multiprocessing.RLock over shared memory.
class SharedLock {
 public:
  explicit SharedLock(pthread_mutex_t* mutex) : mutex_(mutex) {}
  SharedLock(const SharedLock&) = delete;
  SharedLock& operator=(const SharedLock&) = delete;

  // Python's acquire(block=True, timeout=None): true once held. timeout in lecture seconds,
  // std::nullopt (None) for ever; a negative timeout waits not at all, as 0 (CPython's
  // SemLock.acquire clamps it); with blocking=false the timeout is ignored, as there.
  bool acquire(bool blocking = true, std::optional<double> timeout = std::nullopt);
  // Throws AssertionError("attempt to release recursive lock not owned by thread") when the
  // caller does not hold it, as Python does.
  void release();
  // For std::lock_guard / std::unique_lock (Python's `with`).
  void lock() { acquire(); }
  void unlock() { release(); }
  bool try_lock() { return acquire(false); }

 private:
  pthread_mutex_t* mutex_;
  WaitSite site_{SiteKind::kLock, "shared lock"};  // what a blocked acquire is parked on
};

// One anonymous shared mapping: the lock, then `bytes` of zeroed data.
class SharedBlock {
 public:
  explicit SharedBlock(std::size_t bytes);
  SharedBlock(const SharedBlock&) = delete;
  SharedBlock& operator=(const SharedBlock&) = delete;
  ~SharedBlock();

  void* data() const { return data_; }
  SharedLock& lock() { return lock_; }
  std::size_t mapped_bytes() const { return size_; }

 private:
  std::size_t size_;
  void* base_;
  void* data_;
  pid_t creator_;
  SharedLock lock_;
};

// The typecode of each supported C type; the constructor checks the one it is given.
template <typename T>
constexpr char typecode_of();
template <>
constexpr char typecode_of<int>() { return 'i'; }
template <>
constexpr char typecode_of<long long>() { return 'q'; }
template <>
constexpr char typecode_of<float>() { return 'f'; }
template <>
constexpr char typecode_of<double>() { return 'd'; }

// Throws ValueError unless `given` is `expected`.
void check_typecode(char given, char expected);
// Python's repr of one item (int, or float as Python prints it: 3.1415927, 1.0).
std::string item_repr(long long i);
std::string item_repr(double d);
template <typename T>
std::string repr_of(T x) {
  if constexpr (std::is_integral_v<T>) return item_repr(static_cast<long long>(x));
  else return item_repr(static_cast<double>(x));
}

// One number in shared memory, read and written under `lock` (each access on its own).
template <typename T>
class SharedItem {
 public:
  SharedItem(T* slot, SharedLock* lock) : slot_(slot), lock_(lock) {}
  SharedItem& operator=(const SharedItem& o) { return *this = o.get(); }

  T get() const {
    std::lock_guard<SharedLock> hold(*lock_);
    return *slot_;
  }
  void set(T x) {
    std::lock_guard<SharedLock> hold(*lock_);
    *slot_ = x;
  }
  operator T() const { return get(); }
  SharedItem& operator=(T x) { set(x); return *this; }
  // A read, then a write, each locked alone: like Python, not atomic.
  SharedItem& operator+=(T x) { set(get() + x); return *this; }
  SharedItem& operator-=(T x) { set(get() - x); return *this; }
  SharedItem& operator*=(T x) { set(get() * x); return *this; }
  std::string repr() const { return repr_of(get()); }

 private:
  T* slot_;
  SharedLock* lock_;
};

// multiprocessing.Value(typecode, initial): `value` is the shared number.
template <typename T>
class SharedValue {
 public:
  SharedValue(char typecode, T initial)
      : block_((check_typecode(typecode, typecode_of<T>()), sizeof(T))),
        value(static_cast<T*>(block_.data()), &block_.lock()) {
    *static_cast<T*>(block_.data()) = initial;
  }
  SharedValue(const SharedValue&) = delete;
  SharedValue& operator=(const SharedValue&) = delete;

  SharedLock& get_lock() { return block_.lock(); }
  char typecode() const { return typecode_of<T>(); }

 private:
  SharedBlock block_;

 public:
  SharedItem<T> value;
};

// multiprocessing.Array(typecode, size_or_initializer).
template <typename T>
class SharedArray {
 public:
  // Array('i', 10): `size` zeros.
  SharedArray(char typecode, std::size_t size)
      : block_((check_typecode(typecode, typecode_of<T>()), size * sizeof(T))), size_(size) {}
  // Array('i', [1, 2, 3]).
  SharedArray(char typecode, const std::vector<T>& initial) : SharedArray(typecode, initial.size()) {
    for (std::size_t i = 0; i < size_; ++i) items()[i] = initial[i];
  }
  SharedArray(char typecode, std::initializer_list<T> initial) : SharedArray(typecode, std::vector<T>(initial)) {}
  SharedArray(const SharedArray&) = delete;
  SharedArray& operator=(const SharedArray&) = delete;

  // arr[i] (IndexError "invalid index" outside [0, size)).
  SharedItem<T> operator[](std::size_t i) {
    if (i >= size_) throw IndexError("invalid index");
    return SharedItem<T>(items() + i, &block_.lock());
  }
  std::size_t size() const { return size_; }  // len(arr)
  // arr[:] / list(arr): every item, read under the lock held once.
  std::vector<T> list() {
    std::lock_guard<SharedLock> hold(block_.lock());
    return std::vector<T>(items(), items() + size_);
  }
  // Python's repr of arr[:]: "[0, -1, -2]".
  std::string repr() {
    std::string s = "[";
    for (const T& x : list()) s += (s.size() > 1 ? ", " : "") + repr_of(x);
    return s + "]";
  }

  SharedLock& get_lock() { return block_.lock(); }
  char typecode() const { return typecode_of<T>(); }

 private:
  T* items() const { return static_cast<T*>(block_.data()); }
  SharedBlock block_;
  std::size_t size_;
};

}  // namespace concur::process
