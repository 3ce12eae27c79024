#include "cli/worker_pipes.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "core/runtime.h"

namespace concur::cli {

bool read_from_workers(const std::vector<int>& fds, const std::function<void(std::size_t, std::string_view)>& on_data,
                       const std::function<void(std::size_t)>& on_end, bool wake_on_stop) {
  std::vector<pollfd> watched;
  watched.reserve(fds.size() + 1);
  for (int fd : fds) watched.push_back({fd, POLLIN, 0});  // poll(2) ignores negative ones
  watched.push_back({wake_on_stop ? runtime().stop_fd() : -1, POLLIN, 0});
  int n = ::poll(watched.data(), watched.size(), 100);
  if (n < 0) return errno == EINTR;
  for (std::size_t i = 0; n > 0 && i < fds.size(); ++i) {
    if (watched[i].revents == 0) continue;
    char buf[65536];
    ssize_t got = ::read(fds[i], buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) on_end(i);
    else on_data(i, std::string_view(buf, static_cast<std::size_t>(got)));
  }
  return true;
}

}  // namespace concur::cli
