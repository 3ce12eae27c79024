#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

namespace concur::cli {

Progress::Progress(std::ostream& err, std::string what, std::string unit, int total, bool quiet, bool rate)
    : err_(err),
      what_(std::move(what)),
      unit_(std::move(unit)),
      total_(total),
      shown_(!quiet && isatty(STDERR_FILENO) != 0),
      rate_(rate) {}

Progress::~Progress() { clear(); }

void Progress::update(int done) {
  if (!shown_) return;
  auto now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(100) && done < total_) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double per_second = seconds > 0 ? done / seconds : 0;
  std::string line = fmt::format("{}: {}/{} {}", what_, done, total_, unit_);
  if (rate_) line += fmt::format(", {:.0f}/s", per_second);
  line += fmt::format(", {:.1f} s", seconds);
  if (per_second > 0 && done < total_) line += fmt::format(", {:.1f} s left", (total_ - done) / per_second);
  err_ << "\r" << line << "\033[K" << std::flush;
  drawn_ = true;
}

void Progress::clear() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace concur::cli
