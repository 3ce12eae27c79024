// The transcript and py_float (support.h).
#include "demos/support.h"

#include <mutex>
#include <stdexcept>

#include "core/concur.h"

namespace concur::demos {

namespace {
// Guards the living transcript. One of the core's Locks, not a std::mutex, because print()
// is a scheduling point: in a --deterministic run another thread may take the turn
// mid-say() and must then wait for the transcript in the seam, where the scheduler sees it.
Lock transcript_lock("transcript");
Transcript* living = nullptr;  // the Transcript say() records in, if one lives
}  // namespace

Transcript::Transcript() {
  std::lock_guard lk(transcript_lock);
  if (living) throw std::logic_error("a Transcript is already alive");
  living = this;
}

Transcript::~Transcript() {
  std::lock_guard lk(transcript_lock);
  living = nullptr;
}

std::vector<Said> Transcript::lines() const {
  std::lock_guard lk(transcript_lock);
  return said_;
}

std::vector<Said> Transcript::said_by(const std::string& thread) const {
  std::vector<Said> mine;
  for (const Said& s : lines())
    if (s.thread == thread) mine.push_back(s);
  return mine;
}

double Transcript::said_at(const std::string& line) const {
  for (const Said& s : lines())
    if (s.line == line) return s.at;
  return -1;
}

int Transcript::said_elsewhere(long ident) const {
  int n = 0;
  for (const Said& s : lines()) n += s.ident != ident;
  return n;
}

void say(const std::string& line) {
  std::lock_guard lk(transcript_lock);
  print(line);
  if (!living) return;
  double at = time::perf_counter();
  for (std::size_t from = 0, to = 0; to != std::string::npos; from = to + 1) {
    to = line.find('\n', from);
    living->said_.push_back({current_thread_name(), get_ident(), line.substr(from, to - from), at});
  }
}

std::string py_float(double x) { return process::str(process::Value(x)); }

}  // namespace concur::demos
