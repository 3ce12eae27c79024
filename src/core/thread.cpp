#include "core/thread.h"

#include <unistd.h>

#include <exception>
#include <new>
#include <semaphore>
#include <system_error>

#include "core/deterministic.h"
#include "core/errors.h"
#include "core/trace.h"
#include "core/wait_table.h"

namespace concur {

Thread::Thread() : Thread(ThreadArgs{}) {}

Thread::Thread(ThreadArgs args) : target_(std::move(args.target)), state_(std::make_shared<ThreadState>()) {
  if (args.name) {
    state_->name = *args.name;
  } else {
    state_->name = "Thread-" + std::to_string(runtime().next_thread_number());
    if (!args.target_name.empty()) state_->name += " (" + args.target_name + ")";
  }
  state_->daemon = args.daemon.value_or(current_thread_state().daemon);
  state_->done.set_label(state_->name);
}

Thread::~Thread() {
  if (!os_thread_.joinable() && !on_fiber_) return;
  // As at interpreter exit: a daemon thread still running is stopped at its next wait or
  // sleep; a non-daemon one is waited for. Never through the seam: this must not throw.
  // Unlike Python, a thread is not waited for while an exception unwinds its starter (the
  // main thread raised, e.g. "can't start new thread" for the producer a consumer waits
  // for): Python would wait for ever; here the thread is stopped and the error reported.
  {
    std::lock_guard lk(state_->done_mutex);
    if (state_->daemon && !state_->finished) stop_thread(*state_, 2);
    else if (std::uncaught_exceptions() > 0 && !state_->finished) stop_thread(*state_, 3);
  }
  scheduler().let_finish(*state_);
  if (os_thread_.joinable()) os_thread_.join();
}

void Thread::start() {
  if (started_) throw RuntimeError("threads can only be started once");
  scheduler().point("start", state_->name);
  started_ = true;
  state_->done.owner.store(state_.get());
  wait_table::add(*state_);
  runtime().register_thread(state_.get());
  runtime().retain_thread_state(state_);
  scheduler().on_start(*state_);
  auto never_ran = [this] {
    // No OS thread (EAGAIN: a process or thread limit) or no stack for a fiber: Python's
    // error, and no trace of a thread that never ran.
    {
      std::lock_guard lk(state_->done_mutex);
      state_->finished = true;
    }
    state_->done.owner.store(nullptr);
    wait_table::remove(*state_);
    runtime().unregister_thread(state_.get());
    scheduler().on_exit(*state_);
    throw RuntimeError("can't start new thread");
  };
  // A virtual run: the thread is a fiber of the scheduler's, run when it gets the turn.
  try {
    on_fiber_ = scheduler().start_fiber(*state_, [this] { bootstrap(); });
  } catch (const std::bad_alloc&) {
    never_ran();
  }
  if (on_fiber_) return;
  std::binary_semaphore started{0};
  try {
    os_thread_ = std::thread([this, &started] {
      set_current_thread_state(state_.get());
      scheduler().adopt(*state_);
      started.release();
      bootstrap();
    });
  } catch (const std::system_error&) {
    never_ran();
  }
  started.acquire();  // like Python, start() returns once the thread runs (ident is set)
}

void Thread::bootstrap() {
  trace::record(trace::Kind::kStart);
  try {
    run();
  } catch (const ThreadExit&) {
    // Stopped by the run (watchdog, Ctrl-C, reported deadlock, daemon at exit): silent.
  } catch (const PyError& e) {
    Runtime& rt = runtime();
    std::lock_guard lk(rt.out_mutex());
    rt.err() << "Exception in thread " << state_->name << ":\n"
             << e.type() << (e.what()[0] ? ": " : "") << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    Runtime& rt = runtime();
    std::lock_guard lk(rt.out_mutex());
    rt.err() << "Exception in thread " << state_->name << ":\nMemoryError\n";  // Python's name for it
  } catch (const std::exception& e) {
    Runtime& rt = runtime();
    std::lock_guard lk(rt.out_mutex());
    rt.err() << "Exception in thread " << state_->name << ":\n" << e.what() << "\n";
  }
  // What other layers keep for this thread (asyncio's loop, with its descriptors) ends
  // with it, here on the thread itself, as a thread_local would at the thread's exit.
  state_->aio.reset();
  trace::record(trace::Kind::kEnd);
  wait_table::remove(*state_);
  runtime().unregister_thread(state_.get());
  {
    std::lock_guard lk(state_->done_mutex);
    state_->finished = true;
    state_->done.owner.store(nullptr);
    scheduler().notify(state_->done, -1);
  }
  scheduler().on_exit(*state_);
}

void Thread::run() {
  if (target_) target_();
}

void Thread::join(std::optional<double> timeout) {
  if (!started_) throw RuntimeError("cannot join thread before it is started");
  if (state_.get() == &current_thread_state()) throw RuntimeError("cannot join current thread");
  scheduler().point("join", state_->name);
  bool finished;
  {
    std::unique_lock lk(state_->done_mutex);
    auto deadline = timeout ? Deadline::after(std::max(0.0, *timeout)) : Deadline::never();
    finished = scheduler().wait(lk, state_->done, [&] { return state_->finished; }, deadline);
  }
  if (finished && os_thread_.joinable()) os_thread_.join();
}

bool Thread::is_alive() const {
  if (!started_) return false;
  std::lock_guard lk(state_->done_mutex);
  return !state_->finished;
}

const std::string& Thread::name() const { return state_->name; }

void Thread::set_name(std::string name) {
  state_->name = std::move(name);
  state_->done.set_label(state_->name);
}

bool Thread::daemon() const { return state_->daemon; }

void Thread::set_daemon(bool daemon) {
  if (started_) throw RuntimeError("cannot set daemon status of active thread");
  state_->daemon = daemon;
}

long Thread::ident() const { return started_ ? state_->ident : 0; }
long Thread::native_id() const { return started_ ? state_->native_id : 0; }

const std::string& current_thread_name() { return current_thread_state().name; }

long get_ident() { return current_thread_state().ident; }

std::vector<std::string> enumerate() {
  std::vector<std::string> names;
  for (ThreadState* t : runtime().live_threads()) names.push_back(t->name);
  return names;
}

int active_count() { return static_cast<int>(runtime().live_threads().size()); }

long os::getpid() {
  return scheduler().is_virtual() ? runtime().main_thread().native_id : static_cast<long>(::getpid());
}

long os::getppid() {
  if (auto* d = DeterministicScheduler::of_run()) return d->ppid();
  return static_cast<long>(::getppid());
}

}  // namespace concur
