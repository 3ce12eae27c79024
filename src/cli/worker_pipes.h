// The parent's side of the worker processes of `check --jobs` and `--runs N`: each worker
// writes its results on a descriptor of its own, which the parent reads as they come.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace concur::cli {

// Waits until one of `fds` can be read (a negative one is skipped), the run is stopped (with
// `wake_on_stop`: runtime().stop_fd(), which stays readable once stopped), or a tenth of a
// second has passed (a stop before any run began has no descriptor to wake this); then reads
// once from each descriptor that can be read:
// on_data(i, bytes) with what came from fds[i], or on_end(i) at end of file or a read error
// (the caller closes it). Returns false if the wait itself failed.
bool read_from_workers(const std::vector<int>& fds, const std::function<void(std::size_t, std::string_view)>& on_data,
                       const std::function<void(std::size_t)>& on_end, bool wake_on_stop = true);

}  // namespace concur::cli
