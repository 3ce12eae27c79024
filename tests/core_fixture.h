// The fixture every unit test of the core uses: one run of the core per test.
//
// SetUp begins a run on the test's thread (which becomes MainThread) with a small time
// scale, so that `timeout=1` lecture second is 1 ms real and no test sleeps real seconds;
// the run's output and error streams are ostringstreams the test can read once its threads
// are joined. TearDown ends the run. The helpers wait for another thread to reach a state
// (parked on a site, a flag set) by polling, never by sleeping a guessed amount.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <atomic>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "core/run.h"
#include "core/concur.h"

namespace concur::testing {

class CoreTest : public ::testing::Test {
 protected:
  // Real seconds per lecture second.
  explicit CoreTest(double time_scale = 0.001) : time_scale_(time_scale) {}

  void SetUp() override {
    RunOptions options;
    options.time_scale = time_scale_;
    options.seed = 1;
    begin_run(options, out_, err_);
  }
  void TearDown() override { end_run(); }

  // What the run printed; read only after the threads that print are joined.
  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  double time_scale_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// The fixture of the core's deterministic tests: each test begins deterministic runs on its
// own thread (which becomes MainThread), reads what they printed, and leaves a real
// scheduler installed for the tests that follow.
class DeterministicTest : public ::testing::Test {
 protected:
  void begin(std::uint64_t seed = 1, Chooser* chooser = nullptr) {
    out_.str("");
    err_.str("");
    RunOptions options;
    options.deterministic = true;
    options.seed = seed;
    options.chooser = chooser;
    begin_run(options, out_, err_);
  }
  void end() { end_run(); }

  // One whole run of `body` with `seed`; returns what it printed.
  std::string run(std::uint64_t seed, const std::function<void()>& body, Chooser* chooser = nullptr) {
    begin(seed, chooser);
    body();
    end();
    return out_.str();
  }

  // Leaves a real scheduler installed for the tests that follow (and no pointer to our streams).
  void TearDown() override {
    end_run();
    static std::ostringstream sink;
    begin_run(RunOptions{}, sink, sink);
    end_run();
  }

  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  std::ostringstream out_;
  std::ostringstream err_;
};

// Polls `condition` until it holds (true) or `limit` of real time passes (false).
// Counts the exits of a scope, however it is left (a thread unwound by a deadlock report too).
struct CountExit {
  std::atomic<int>& exits;
  ~CountExit() { ++exits; }
};

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

// Waits until at least `n` threads are parked on `site` (blocked in the waiting seam).
inline bool parked_on(WaitSite& site, int n = 1) {
  return eventually([&] { return site.parked.load() >= n; });
}

// Waits until the live thread called `name` is blocked in the seam (on any site; a sleep
// counts too).
inline bool blocked(const std::string& name) {
  return eventually([&] {
    for (ThreadState* t : runtime().live_threads())
      if (t->name == name && t->waiting_on.load() != nullptr) return true;
    return false;
  });
}

// The Python error `f` throws, as Python's last traceback line ("RuntimeError: release
// unlocked lock", "Full"), or "" when it throws none.
inline std::string py_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const PyError& e) {
    return e.type() + (e.what()[0] ? ": " : "") + e.what();
  }
  return "";
}

// Real seconds `f` takes.
inline double real_seconds(const std::function<void()>& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace concur::testing
