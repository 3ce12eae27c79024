// `--step`: the instructor picks the next thread at every decision of a deterministic run.
//
// Before each decision with two or more runnable threads, the prompt lists them (in start
// order, MainThread first) with what each is about to do, marks the seed's choice, and
// reads one answer: Enter = the seed's choice, a number = that thread, q = stop the run
// (cleanly: threads unwind, exit 130 as for Ctrl-C). On a terminal a single key answers
// (no Enter needed after a digit when there are at most ten threads); from a pipe or a
// file each line is one answer, so a session can be scripted and tested. At the end of the
// input the seed decides the rest without asking.
//
// A decision with one runnable thread is no choice and is not shown.
#pragma once

#include <termios.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "core/deterministic.h"

namespace concur::cli {

// Whether `fd` can feed --step: a terminal, a pipe, a socket or a regular file.
bool can_step_from(int fd);

class StepChooser : public Chooser {
 public:
  // Prompts on `prompt`, reads answers from `fd`.
  StepChooser(int fd, std::ostream& prompt);
  ~StepChooser() override;
  StepChooser(const StepChooser&) = delete;
  StepChooser& operator=(const StepChooser&) = delete;

  std::size_t choose(const std::vector<Candidate>& runnable, std::size_t seeded) override;

 private:
  // One answer: the line (or key) typed, or nullopt at the end of the input or when the
  // run is stopped meanwhile.
  bool read_answer(std::string& answer, std::size_t choices);

  int fd_;
  std::ostream& prompt_;
  bool terminal_ = false;
  bool ended_ = false;
  termios saved_{};
  std::uint64_t step_ = 0;
};

}  // namespace concur::cli
