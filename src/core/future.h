// concurrent.futures.Future: a handle on the result of a call that runs elsewhere.
//
// Copies share one state, as Python names share one object. It is pending, then running,
// then finished (with a value or an exception), or cancelled while still pending. result()
// and exception() wait for it; a timeout that passes throws TimeoutError, a cancelled
// future CancelledError, and result() rethrows the exception the call raised. Python's
// futures hold any object; here Future<T> holds a T (Future<void> for a call that returns
// nothing). A future's waits go through the waiting seam on its own site, held by the
// worker running it, so "main waits for the future, the worker waits for a lock main
// holds" is reported as a cycle.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/errors.h"
#include "core/seam.h"

namespace concur {

template <typename T>
class Future;

namespace detail {

class FutureStateBase;

// Told once when a future it listens to is done (as_completed's waiter).
class CompletionListener {
 public:
  virtual ~CompletionListener() = default;
  // Called with the future's mutex held; must not wait.
  virtual void completed(const std::shared_ptr<FutureStateBase>& future) = 0;
};

// The state every Future<T> shares, whatever T is: status, exception, callbacks, waiters.
class FutureStateBase : public std::enable_shared_from_this<FutureStateBase> {
 public:
  enum class Status { kPending, kRunning, kCancelled, kFinished };
  using Callback = std::function<void(const std::shared_ptr<FutureStateBase>&)>;

  explicit FutureStateBase(std::string label);
  virtual ~FutureStateBase() = default;
  FutureStateBase(const FutureStateBase&) = delete;
  FutureStateBase& operator=(const FutureStateBase&) = delete;

  const std::string& label() const { return site_.label(); }
  bool cancel();
  bool cancelled();
  bool running();
  bool done();
  bool set_running_or_notify_cancel();
  void set_exception(std::exception_ptr e);
  // Waits until done or `timeout` lecture seconds pass; throws CancelledError or
  // TimeoutError. Returns the call's exception (nullptr if it returned).
  std::exception_ptr wait_done(std::optional<double> timeout);
  // Runs `callback` once the future is done (at once if it is); see Future::add_done_callback.
  void add_done_callback(Callback callback);
  // Python's repr: "<Future at 0x... state=finished returned int>", "... raised ValueError>",
  // "... state=pending>" (running, cancelled).
  std::string repr();
  // Registers `listener` unless the future is done already; returns whether it was done.
  bool add_listener(const std::shared_ptr<CompletionListener>& listener);
  void remove_listener(const CompletionListener* listener);

 protected:
  // Runs `store` (which saves the value) and marks the future finished, under the mutex;
  // then wakes waiters and runs the callbacks. Throws InvalidStateError if already done.
  void finish(const std::function<void()>& store);
  // The Python class name of the value a finished future returned ("int", "str").
  virtual std::string result_type() const = 0;

 private:
  bool is_done() const { return status_ == Status::kCancelled || status_ == Status::kFinished; }
  // Wakes waiters and tells listeners; with the mutex held.
  void notify_done();
  void invoke_callbacks();
  // Calls `callback`; an exception it throws is logged on stderr and goes no further.
  void run_callback(const Callback& callback);
  std::string state_name() const;

  std::mutex mutex_;
  WaitSite site_;
  Status status_ = Status::kPending;
  std::exception_ptr exception_;
  std::vector<Callback> callbacks_;
  std::vector<std::shared_ptr<CompletionListener>> listeners_;
};

template <typename T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
class FutureState : public FutureStateBase {
 public:
  using FutureStateBase::FutureStateBase;
  void set_value(Stored<T> value) {
    finish([&] { value_.emplace(std::move(value)); });
  }
  // Only once done without an exception (the value never changes after that).
  const Stored<T>& value() const { return *value_; }

 protected:
  std::string result_type() const override {
    if constexpr (std::is_void_v<T>) return "NoneType";
    else if constexpr (std::is_same_v<T, bool>) return "bool";
    else if constexpr (std::is_integral_v<T>) return "int";
    else if constexpr (std::is_floating_point_v<T>) return "float";
    else if constexpr (std::is_convertible_v<T, std::string>) return "str";
    else return "object";
  }

 private:
  std::optional<Stored<T>> value_;
};

}  // namespace detail

template <typename T>
class Future {
 public:
  // A pending future of its own (Python's Future(): for executors and tests).
  Future() : state_(std::make_shared<detail::FutureState<T>>("future")) {}
  explicit Future(std::shared_ptr<detail::FutureState<T>> state) : state_(std::move(state)) {}

  // Cancels the call if it has not started: true then (and for a cancelled future);
  // false once it runs or is finished.
  bool cancel() const { return state_->cancel(); }
  bool cancelled() const { return state_->cancelled(); }
  // True while the call runs.
  bool running() const { return state_->running(); }
  // True once finished or cancelled.
  bool done() const { return state_->done(); }

  // Blocks until the call finishes and returns its value (a copy), or rethrows its
  // exception. Throws TimeoutError if `timeout` lecture seconds pass first, CancelledError
  // if the future is cancelled.
  T result(std::optional<double> timeout = std::nullopt) const {
    if (std::exception_ptr e = state_->wait_done(timeout)) std::rethrow_exception(e);
    if constexpr (!std::is_void_v<T>) return state_->value();
  }

  // As result(), but returns the call's exception (nullptr if it returned) instead of
  // rethrowing it.
  std::exception_ptr exception(std::optional<double> timeout = std::nullopt) const {
    return state_->wait_done(timeout);
  }

  // Calls fn(future) once the future is done, in the thread that finishes or cancels it;
  // at once, in the calling thread, if it is done already. Either way an exception from fn
  // never reaches the caller: it is logged on stderr, as Python's LOGGER.exception, as
  // "exception calling callback for <Future at 0x... state=finished returned int>" and the
  // error's last line ("ValueError: boom"; Python prints the whole traceback). ThreadExit
  // (a stopped run) is not an error and passes through.
  void add_done_callback(std::function<void(const Future<T>&)> fn) const {
    state_->add_done_callback([fn = std::move(fn)](const std::shared_ptr<detail::FutureStateBase>& s) {
      fn(Future<T>(std::static_pointer_cast<detail::FutureState<T>>(s)));
    });
  }

  // For executors and tests. Marks the future running (true), or returns false if it was
  // cancelled. Then exactly one of set_result / set_exception.
  bool set_running_or_notify_cancel() const { return state_->set_running_or_notify_cancel(); }
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void set_result(std::type_identity_t<U> value) const {
    state_->set_value(std::move(value));
  }
  void set_result() const
    requires std::is_void_v<T>
  {
    state_->set_value({});
  }
  void set_exception(std::exception_ptr e) const { state_->set_exception(std::move(e)); }

  // A future is its state: copies compare equal; usable as a std::map key (future_to_task).
  friend bool operator==(const Future& a, const Future& b) { return a.state_ == b.state_; }
  friend std::strong_ordering operator<=>(const Future& a, const Future& b) {
    return std::compare_three_way{}(a.state_.get(), b.state_.get());
  }
  const std::shared_ptr<detail::FutureState<T>>& state() const { return state_; }

 private:
  std::shared_ptr<detail::FutureState<T>> state_;
};

}  // namespace concur

template <typename T>
struct std::hash<concur::Future<T>> {
  std::size_t operator()(const concur::Future<T>& f) const noexcept {
    return std::hash<const void*>{}(f.state().get());
  }
};
