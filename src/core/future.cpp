#include "core/future.h"

#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <thread>

#include "core/runtime.h"

namespace concur {

namespace detail {

FutureStateBase::FutureStateBase(std::string label) : site_(SiteKind::kFuture, std::move(label)) {}

bool FutureStateBase::cancel() {
  {
    std::lock_guard lk(mutex_);
    if (status_ == Status::kRunning || status_ == Status::kFinished) return false;
    if (status_ == Status::kCancelled) return true;
    status_ = Status::kCancelled;
    notify_done();
  }
  invoke_callbacks();
  return true;
}

bool FutureStateBase::cancelled() {
  std::lock_guard lk(mutex_);
  return status_ == Status::kCancelled;
}

bool FutureStateBase::running() {
  std::lock_guard lk(mutex_);
  return status_ == Status::kRunning;
}

bool FutureStateBase::done() {
  std::lock_guard lk(mutex_);
  return is_done();
}

bool FutureStateBase::set_running_or_notify_cancel() {
  std::lock_guard lk(mutex_);
  if (status_ == Status::kCancelled) return false;
  if (status_ != Status::kPending) throw RuntimeError("Future in unexpected state");
  status_ = Status::kRunning;
  // The running call "holds" its future: whoever waits for it waits for this thread.
  site_.owner.store(&current_thread_state());
  return true;
}

void FutureStateBase::set_exception(std::exception_ptr e) {
  finish([&] { exception_ = std::move(e); });
}

void FutureStateBase::finish(const std::function<void()>& store) {
  {
    std::lock_guard lk(mutex_);
    if (is_done()) throw InvalidStateError(state_name() + ": " + label());
    store();
    status_ = Status::kFinished;
    notify_done();
  }
  invoke_callbacks();
}

void FutureStateBase::notify_done() {
  site_.owner.store(nullptr);
  auto self = shared_from_this();
  for (const auto& listener : listeners_) listener->completed(self);
  scheduler().notify(site_, -1);
}

void FutureStateBase::invoke_callbacks() {
  // Done now, so no callback can be added meanwhile: the list is read without the mutex.
  for (const auto& callback : callbacks_) run_callback(callback);
}

void FutureStateBase::run_callback(const Callback& callback) {
  try {
    callback(shared_from_this());
  } catch (const std::exception& e) {
    // Python's LOGGER.exception('exception calling callback for %r', self), on stderr.
    std::string line = repr();
    Runtime& rt = runtime();
    std::lock_guard lk(rt.out_mutex());
    const auto* py = dynamic_cast<const PyError*>(&e);
    rt.err() << "exception calling callback for " << line << "\n"
             << (py ? py->type() + (e.what()[0] ? ": " : "") : "") << e.what() << "\n";
  }
}

std::string FutureStateBase::repr() {
  std::lock_guard lk(mutex_);
  char at[32];
  std::snprintf(at, sizeof at, "%#zx", reinterpret_cast<std::size_t>(this));
  std::string s = std::string("<Future at ") + at + " state=";
  switch (status_) {
    case Status::kPending: return s + "pending>";
    case Status::kRunning: return s + "running>";
    case Status::kCancelled: return s + "cancelled>";
    case Status::kFinished: break;
  }
  if (!exception_) return s + "finished returned " + result_type() + ">";
  std::string raised = "Exception";
  try {
    std::rethrow_exception(exception_);
  } catch (const PyError& e) {
    raised = e.type();
  } catch (...) {
    // not a Python error: Exception
  }
  return s + "finished raised " + raised + ">";
}

std::exception_ptr FutureStateBase::wait_done(std::optional<double> timeout) {
  std::unique_lock lk(mutex_);
  if (!is_done()) {
    auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
    scheduler().wait(lk, site_, [&] { return is_done(); }, deadline);
  }
  if (status_ == Status::kCancelled) throw CancelledError();
  if (status_ != Status::kFinished) throw TimeoutError();
  return exception_;
}

void FutureStateBase::add_done_callback(Callback callback) {
  {
    std::lock_guard lk(mutex_);
    if (!is_done()) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  run_callback(callback);  // done already: at once, and a raise is logged here too
}

bool FutureStateBase::add_listener(const std::shared_ptr<CompletionListener>& listener) {
  std::lock_guard lk(mutex_);
  if (is_done()) return true;
  listeners_.push_back(listener);
  return false;
}

void FutureStateBase::remove_listener(const CompletionListener* listener) {
  std::lock_guard lk(mutex_);
  std::erase_if(listeners_, [&](const auto& l) { return l.get() == listener; });
}

std::string FutureStateBase::state_name() const {
  switch (status_) {
    case Status::kPending: return "PENDING";
    case Status::kRunning: return "RUNNING";
    case Status::kCancelled: return "CANCELLED";
    case Status::kFinished: return "FINISHED";
  }
  return "?";
}

}  // namespace detail

}  // namespace concur
