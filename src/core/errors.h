// Typed errors with Python's names and messages.
//
// Where Python raises, the core throws one of these. `type()` is the Python exception's
// name and `what()` its message, so `Exception in thread ...` lines and tests read like
// Python's. ThreadExit is not an error: it unwinds a thread the run has stopped (the
// watchdog, Ctrl-C, a reported deadlock, interpreter-style shutdown of daemon threads) and
// is deliberately not a std::exception, so a demo's `catch (const std::exception&)` cannot
// swallow it.
#pragma once

#include <stdexcept>
#include <string>

namespace concur {

class PyError : public std::runtime_error {
 public:
  PyError(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}
  // The Python exception's class name, e.g. "RuntimeError".
  const std::string& type() const { return type_; }

 private:
  std::string type_;
};

struct RuntimeError : PyError {
  explicit RuntimeError(const std::string& m) : PyError("RuntimeError", m) {}
};
struct ValueError : PyError {
  explicit ValueError(const std::string& m) : PyError("ValueError", m) {}
};
struct TimeoutError : PyError {
  explicit TimeoutError(const std::string& m = "") : PyError("TimeoutError", m) {}
};
struct CancelledError : PyError {
  explicit CancelledError(const std::string& m = "") : PyError("CancelledError", m) {}
};
struct BrokenBarrierError : PyError {
  BrokenBarrierError() : PyError("BrokenBarrierError", "") {}
};
// concurrent.futures.InvalidStateError: setting the result of a finished future.
struct InvalidStateError : PyError {
  explicit InvalidStateError(const std::string& m) : PyError("InvalidStateError", m) {}
};
// queue.Full / queue.Empty carry no message in Python.
// A failed system call (its strerror text), or the wrong end of a one-way Pipe.
// Raised by the process layer: recv() after the peer closed its end.
struct EOFError : PyError {
  explicit EOFError(const std::string& m = "") : PyError("EOFError", m) {}
};
// multiprocessing's `assert`: join() before start().
struct AssertionError : PyError {
  explicit AssertionError(const std::string& m) : PyError("AssertionError", m) {}
};
struct OSError : PyError {
  explicit OSError(const std::string& m) : PyError("OSError", m) {}
};
struct Full : PyError {
  Full() : PyError("Full", "") {}
};
struct Empty : PyError {
  Empty() : PyError("Empty", "") {}
};

// Why a thread is being unwound by the run rather than by its own code.
enum class ExitReason { kCancelled, kDeadlock, kShutdown };

struct ThreadExit {
  ExitReason reason;
};

}  // namespace concur
