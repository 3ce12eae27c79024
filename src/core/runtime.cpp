#include "core/runtime.h"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>


namespace concur {

namespace {
thread_local ThreadState* tls_state = nullptr;
// The run's stop descriptor as cancel() reads it: cancel() runs on the signal thread or the
// watchdog's, which begin_run does not start, so it reads this atomic copy, not stop_fd_.
std::atomic<int> stop_fd_for_cancel{-1};
thread_local std::unique_ptr<ThreadState> tls_dummy;
}  // namespace

ThreadState& current_thread_state() {
  if (tls_state) return *tls_state;
  // A thread the core did not start: Python calls it a dummy thread.
  tls_dummy = std::make_unique<ThreadState>();
  tls_dummy->name = "Dummy-" + std::to_string(runtime().next_dummy_number());
  tls_dummy->daemon = true;
  tls_dummy->ident = static_cast<long>(pthread_self());
  tls_dummy->native_id = static_cast<long>(gettid());
  tls_state = tls_dummy.get();
  return *tls_state;
}

void set_current_thread_state(ThreadState* state) { tls_state = state; }

Runtime& runtime() {
  static Runtime* instance = new Runtime();  // never destroyed: threads may outlive main
  return *instance;
}

void Runtime::reset(const RunOptions& options, std::ostream& out, std::ostream& err) {
  options_ = options;
  ++run_id_;
  // As CPython does at start-up: writing to a pipe whose reader is gone is an error the
  // writer sees (EPIPE, BrokenPipeError), not a signal that kills the whole program.
  ::signal(SIGPIPE, SIG_IGN);
  out_ = &out;
  err_ = &err;
  cancel_reason_ = StopReason::kNone;
  // A fresh stop descriptor for each run (and in a forked child, which must not share its
  // parent's): nothing waits on the old one between runs.
  stop_fd_for_cancel.store(-1);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  stop_fd_for_cancel.store(stop_fd_);
  if (int fd = main_.wake_fd.exchange(-1); fd >= 0) ::close(fd);
  daemons_stopped_ = 0;
  thread_counter_ = 0;
  dummy_counter_ = 0;
  pool_counter_ = 0;
  process_counter_ = 0;
  for (auto& c : site_counters_) c = 0;
  main_.name = "MainThread";
  main_.daemon = false;
  main_.stop = 0;
  main_.ident = static_cast<long>(pthread_self());
  main_.native_id = static_cast<long>(gettid());
  main_.done.owner = &main_;
  main_.done.set_label("MainThread");
  set_current_thread_state(&main_);
  {
    std::lock_guard lk(registry_mutex_);
    live_.assign(1, &main_);
    retained_.clear();
  }
  // A fixed epoch in deterministic runs, so that timestamps are the same on every run and
  // every machine.
  wall_start_ = options.deterministic ? std::chrono::system_clock::time_point(std::chrono::seconds(kDeterministicEpoch))
                                      : std::chrono::system_clock::now();
}

void Runtime::end_run() {
  std::lock_guard lk(registry_mutex_);
  live_.clear();
}

void Runtime::cancel(StopReason why) {
  StopReason expected = StopReason::kNone;
  int fd = stop_fd_for_cancel.load();
  if (cancel_reason_.compare_exchange_strong(expected, why) && fd >= 0) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(fd, &one, sizeof one);  // stays readable
  }
}

void Runtime::write_out(std::string_view text) {
  *out_ << text;
  out_->flush();
  check_output();
}

void Runtime::check_output() {
  if (!out_ || !out_->fail()) return;
  int err = errno ? errno : EIO;  // the failed write's: nothing since has set it
  int none = 0;
  output_error_.compare_exchange_strong(none, err);
  cancel(output_error_.load() == EPIPE ? StopReason::kOutputClosed : StopReason::kOutputFailed);
}

void Runtime::register_thread(ThreadState* t) {
  std::lock_guard lk(registry_mutex_);
  live_.push_back(t);
}

void Runtime::unregister_thread(ThreadState* t) {
  std::lock_guard lk(registry_mutex_);
  live_.erase(std::remove(live_.begin(), live_.end(), t), live_.end());
  if (t->daemon && t->stop.load() == 2) ++daemons_stopped_;
  registry_changed_.notify_all();
}

void Runtime::wait_for_other_threads() {
  std::unique_lock lk(registry_mutex_);
  registry_changed_.wait(lk, [&] { return live_.size() <= 1; });
}

void Runtime::retain_thread_state(std::shared_ptr<ThreadState> t) {
  std::lock_guard lk(registry_mutex_);
  retained_.push_back(std::move(t));
}

std::vector<ThreadState*> Runtime::live_threads() {
  std::lock_guard lk(registry_mutex_);
  return live_;
}

void Runtime::guard_at_fork(std::mutex& m) {
  if (std::find(fork_locks_.begin(), fork_locks_.end(), &m) == fork_locks_.end()) fork_locks_.push_back(&m);
}

Runtime::ForkGuard::ForkGuard(Runtime& rt) : rt_(rt) {
  for (std::mutex* m : rt_.fork_locks_) m->lock();
  rt_.registry_mutex_.lock();
  rt_.out_mutex_.lock();
}

Runtime::ForkGuard::~ForkGuard() {
  rt_.out_mutex_.unlock();
  rt_.registry_mutex_.unlock();
  for (auto m = rt_.fork_locks_.rbegin(); m != rt_.fork_locks_.rend(); ++m) (*m)->unlock();
}

int Runtime::next_site_number(SiteKind kind) { return ++site_counters_[static_cast<int>(kind)]; }

}  // namespace concur
