#include "core/plumbing_thread.h"

#include <semaphore>
#include <utility>

namespace concur {

std::thread start_plumbing_thread(std::function<void()> body) {
  std::binary_semaphore started{0};
  std::thread t([&started, body = std::move(body)] {
    started.release();
    body();
  });
  started.acquire();
  return t;
}

}  // namespace concur
