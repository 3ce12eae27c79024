// Wakes an Asio io_context when the run or the calling thread is stopped: how the layers
// built on Asio (the asyncio loop, the HTTP client) wait through the seam. Their thread
// blocks in the io_context, not in the seam's wait_fd; an IoStopWatch puts the run's stop
// descriptor and the thread's wake descriptor (seam.h, Runtime::stop_fd) into that
// io_context, so a stop (watchdog, Ctrl-C, a daemon stopped at exit, a reported deadlock)
// makes its run_one() return at once. The caller then calls detail::check_stop (park.h), which
// throws ThreadExit as every wait of the core does.
//
// Watch while the context runs; destroy it before the context. It duplicates both
// descriptors, so neither owner's descriptor is ever closed by Asio.
#pragma once

#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>

#include "core/runtime.h"

namespace concur {

class IoStopWatch {
 public:
  explicit IoStopWatch(asio::io_context& io)
      : run_(io, ::dup(runtime().stop_fd())), thread_(io, ::dup(current_thread_state().wake_descriptor())) {
    arm(run_);
    arm(thread_);
  }
  IoStopWatch(const IoStopWatch&) = delete;
  IoStopWatch& operator=(const IoStopWatch&) = delete;

 private:
  // One wake-up is enough: the caller throws on it (the descriptor stays readable).
  static void arm(asio::posix::stream_descriptor& d) {
    if (d.native_handle() >= 0) d.async_wait(asio::posix::stream_descriptor::wait_read, [](std::error_code) {});
  }
  asio::posix::stream_descriptor run_;
  asio::posix::stream_descriptor thread_;
};

}  // namespace concur
