// A one-line progress indicator on stderr for work that takes a while (`--runs N`,
// `check --all`, `bench`): "check: 12/40 variants, 3 s, 9 s left". Only on a terminal and
// not under --quiet (never on a pipe: logs and CI stay clean); redrawn in place ("\r" ...
// erase to the end of the line) at most 10 times a second; cleared when it goes.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace concur::cli {

class Progress {
 public:
  // `what` names the work ("census"), `unit` what is counted ("runs"), `total` how many.
  // `rate`: also show how many a second. Shown when stderr is a terminal and not `quiet`.
  Progress(std::ostream& err, std::string what, std::string unit, int total, bool quiet = false, bool rate = false);
  // Clears the line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` of the total are done: redraws the line (at most every 100 ms, and always at the end).
  void update(int done);
  // Erases the line now (before another line goes to the terminal); the next update draws it.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  std::string what_, unit_;
  int total_;
  bool shown_, rate_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

}  // namespace concur::cli
