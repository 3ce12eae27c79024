// The fixture of the asyncio tests that port CPython's (test_aio_cancel.cpp,
// test_aio_loop.cpp): one run per test on the real scheduler (the core tests' small time
// scale) or the deterministic one (the parameter), and a fresh loop the test owns.
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include "core/aio/future.h"
#include "core/run.h"
#include "core_fixture.h"

namespace concur::aio {

class AioRunTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    RunOptions options;
    options.time_scale = 0.001;
    options.seed = 1;
    options.deterministic = GetParam();
    begin_run(options, out_, err_);
    loop_ = new_event_loop();
  }
  void TearDown() override {
    if (loop_ && !loop_->is_closed()) loop_->close();
    loop_.reset();
    end_run();
    // Leaves a real scheduler installed for the tests that follow, as DeterministicTest does.
    static std::ostringstream sink;
    begin_run(RunOptions{}, sink, sink);
    end_run();
  }
  // test_utils.run_briefly(loop): a few turns of the loop.
  void run_briefly() {
    auto once = []() -> Coro<void> { co_return; };
    loop_->run_until_complete(once());
  }
  std::string err() const { return err_.str(); }

  std::unique_ptr<EventLoop> loop_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// "Real" or "Deterministic", for the instantiations' names.
inline std::string scheduler_name(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "Deterministic" : "Real";
}

}  // namespace concur::aio
