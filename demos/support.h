// What the demo files share: the transcript their checks read, and Python's str() of a float.
//
// The transcript is bookkeeping for a check, not part of the lecture. A run function that
// checks who said what makes a Transcript before its threads start; while it lives, say()
// prints a line and records it there. Its checks read it after the threads are joined.
#pragma once

#include <string>
#include <vector>

namespace concur::demos {

// One line a thread said, and when (time::perf_counter()).
struct Said {
  std::string thread;  // current_thread_name()
  long ident;          // get_ident()
  std::string line;
  double at;
};

// The lines said during one run, in the order they were said. One lives at a time, made
// before the run's threads start and gone after they are joined: making a second while the
// first lives is a bug (std::logic_error).
class Transcript {
 public:
  Transcript();
  ~Transcript();
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;

  // Everything said so far.
  std::vector<Said> lines() const;
  // What `thread` (a thread name) said, in order.
  std::vector<Said> said_by(const std::string& thread) const;
  // When `line` was first said; -1 if it was not.
  double said_at(const std::string& line) const;
  // How many lines threads other than `ident` said.
  int said_elsewhere(long ident) const;

 private:
  friend void say(const std::string& line);
  std::vector<Said> said_;
};

// print(line), then record it in the living Transcript, one entry per output line
// ("\nAsynchronous approach:" is two). With no Transcript alive it only prints.
void say(const std::string& line);

// Python's str() of a float: 2.0, 0.25, 1e-05.
std::string py_float(double x);

}  // namespace concur::demos
