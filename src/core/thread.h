// threading.Thread: a real std::thread with Python's names, daemon flag and join (in a
// deterministic run, a fiber that takes turns with the others on one OS thread: fiber.h).
//
// Names follow Python 3.10+: `MainThread`; otherwise `Thread-N`, with ` (target)` added
// when a target name is given; N counts from 1 per run and advances only for unnamed
// threads. Older lecture slides show plain `Thread-N`: leave `target_name` empty for that.
//
//   Thread t({.target = [] { consumer(); }, .target_name = "consumer"});   // Thread-1 (consumer)
//   class MyThreadClass : public Thread { void run() override; };        // subclassing
//
// An exception escaping run() prints `Exception in thread NAME:` and the error on stderr,
// and the program goes on. A Thread object that is destroyed while its thread still runs
// waits for it (as Python waits for non-daemon threads at exit); a daemon thread is
// stopped at its next wait or sleep instead.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/runtime.h"

namespace concur {

struct ThreadArgs {
  std::function<void()> target;
  std::string target_name;          // appended as " (target_name)" to a default name
  std::optional<std::string> name;  // an explicit name; the counter does not advance
  std::optional<bool> daemon;       // default: the creating thread's daemon flag
};

class Thread {
 public:
  Thread();  // a thread whose run() a subclass overrides
  explicit Thread(ThreadArgs args);
  virtual ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  // Starts run() on a new OS thread (a new fiber in a deterministic run). Throws RuntimeError("threads can only be started
  // once") on a second call.
  void start();

  // Blocks until the thread finishes, or `timeout` lecture seconds pass (then returns
  // anyway: check is_alive()). Throws RuntimeError when joining the current thread or a
  // thread not yet started.
  void join(std::optional<double> timeout = std::nullopt);

  // True from start() until run() returns.
  bool is_alive() const;

  const std::string& name() const;
  void set_name(std::string name);
  bool daemon() const;
  // Throws RuntimeError("cannot set daemon status of active thread") after start().
  void set_daemon(bool daemon);
  // Python's ident and native_id: 0 (None) before start.
  long ident() const;
  long native_id() const;

 protected:
  // The thread's activity; the default calls the target.
  virtual void run();

 private:
  void bootstrap();
  std::function<void()> target_;
  std::shared_ptr<ThreadState> state_;
  std::thread os_thread_;   // in a real run
  bool on_fiber_ = false;   // in a virtual run: a fiber of the deterministic scheduler's
  bool started_ = false;
};

// threading.current_thread().name
const std::string& current_thread_name();
// threading.get_ident() of the calling thread.
long get_ident();
// threading.enumerate(): names of started, unfinished threads, main first.
std::vector<std::string> enumerate();
// threading.active_count() == len(enumerate()).
int active_count();

namespace os {
// os.getpid(): this process's id; in a deterministic run a fixed one, MainThread's
// native_id, so that output does not change from run to run.
long getpid();
// os.getppid(): the parent's id; in a deterministic run the parent's virtual pid.
long getppid();
}  // namespace os

}  // namespace concur
