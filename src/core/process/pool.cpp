#include "core/process/pool.h"

#include <unistd.h>

namespace concur::process {

Value AsyncResult::get(std::optional<double> timeout) const { return future_.result(timeout); }

void AsyncResult::wait(std::optional<double> timeout) const {
  try {
    future_.exception(timeout);
  } catch (const TimeoutError&) {
    // not ready yet: wait() just returns
  }
}

bool AsyncResult::successful() const {
  if (!ready()) throw ValueError("AsyncResult is not ready");
  return !future_.exception();
}

namespace {

int checked_processes(std::optional<int> processes) {
  int n = processes.value_or(static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)));
  if (n < 1) throw ValueError("Number of processes must be at least 1");
  return n;
}

}  // namespace

Pool::Pool(std::optional<int> processes) : workers_("ForkPoolWorker", "Pool", 0, true) {
  int n = checked_processes(processes);
  workers_.start(n);
}

Pool::~Pool() {
  try {
    workers_.terminate();
  } catch (...) {
    // a stopped run: ~Workers and the Process destructors reap what is left
  }
}

void Pool::check_running() const {
  if (workers_.closed()) throw ValueError("Pool not running");
}

List Pool::map(const std::string& fn, const List& items) {
  check_running();
  std::vector<Future<Value>> jobs;
  for (const Value& item : items) jobs.push_back(workers_.submit(fn, List{item}, "Pool not running"));
  List results;
  for (const Future<Value>& job : jobs) results.push_back(job.result());
  return results;
}

Value Pool::apply(const std::string& fn, List args) { return apply_async(fn, std::move(args)).get(); }

AsyncResult Pool::apply_async(const std::string& fn, List args) {
  check_running();
  return AsyncResult(workers_.submit(fn, std::move(args), "Pool not running"));
}

void Pool::close() { workers_.close(); }

void Pool::terminate() { workers_.terminate(); }

void Pool::join() {
  if (!workers_.closed()) throw ValueError("Pool is still running");
  workers_.join();
}

}  // namespace concur::process
