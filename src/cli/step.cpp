#include "cli/step.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>

#include "cli/app.h"
#include "core/clock.h"
#include "core/runtime.h"

namespace concur::cli {

namespace {
constexpr std::size_t kDoingWidth = 60;
}

bool can_step_from(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return isatty(fd) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISREG(st.st_mode);
}

StepChooser::StepChooser(int fd, std::ostream& prompt) : fd_(fd), prompt_(prompt), terminal_(isatty(fd)) {
  if (!terminal_ || tcgetattr(fd_, &saved_) != 0) {
    terminal_ = false;
    return;
  }
  // One key answers: no line editing, no echo (the choice is echoed by the prompt)
  termios raw = saved_;
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr(fd_, TCSANOW, &raw);
}

StepChooser::~StepChooser() {
  if (terminal_) tcsetattr(fd_, TCSANOW, &saved_);
}

bool StepChooser::read_answer(std::string& answer, std::size_t choices) {
  answer.clear();
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    int ready = poll(&p, 1, 50);
    if (runtime().cancelled()) return false;  // Ctrl-C or the watchdog meanwhile
    if (ready <= 0) continue;
    char c = 0;
    ssize_t got = ::read(fd_, &c, 1);
    if (got <= 0) return !answer.empty();  // end of input
    if (c == '\n' || c == '\r') return true;
    answer += c;
    // On a terminal a digit (with ten threads or fewer) or q answers at once
    if (terminal_ && (c == 'q' || c == 'Q' || (std::isdigit(static_cast<unsigned char>(c)) && choices <= 10)))
      return true;
  }
}

std::size_t StepChooser::choose(const std::vector<Candidate>& runnable, std::size_t seeded) {
  ++step_;
  if (ended_) return seeded;
  // The menu: every runnable thread and what it is about to do, the seed's pick starred
  std::size_t name_width = 0;
  for (const auto& c : runnable) name_width = std::max(name_width, c.thread->name.size());
  prompt_ << fmt::format("-- step {} at {:.2f} s: which thread runs next?\n", step_, time::perf_counter());
  for (std::size_t i = 0; i < runnable.size(); ++i) {
    std::string doing = runnable[i].doing;
    if (doing.size() > kDoingWidth) doing = doing.substr(0, kDoingWidth - 3) + "...";
    prompt_ << fmt::format(" {} [{}] {:<{}}  {}\n", i == seeded ? '*' : ' ', i, runnable[i].thread->name, name_width,
                           doing);
  }
  prompt_ << fmt::format("   Enter = [{}] (the seed's choice), a number = that thread, q = stop: ", seeded);
  prompt_.flush();

  // The answer
  for (std::string answer;;) {
    if (!read_answer(answer, runnable.size())) {
      if (!runtime().cancelled()) {
        ended_ = true;
        prompt_ << "\n(end of input: the seed decides the rest)\n";
        prompt_.flush();
      }
      return seeded;
    }
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) answer.pop_back();
    prompt_ << answer << "\n";  // the answer ends the prompt line (nothing is echoed by itself)
    prompt_.flush();
    if (answer.empty()) return seeded;
    if (answer == "q" || answer == "Q") {
      runtime().cancel(StopReason::kInterrupt);
      return seeded;
    }
    std::size_t index = 0;
    bool number = std::all_of(answer.begin(), answer.end(), [](unsigned char c) { return std::isdigit(c); });
    if (number && answer.size() < 6) index = std::stoul(answer);
    if (number && index < runnable.size()) return index;
    prompt_ << fmt::format("   no thread [{}]; a number from 0 to {}, Enter or q: ", answer, runnable.size() - 1);
    prompt_.flush();
  }
}

}  // namespace concur::cli
