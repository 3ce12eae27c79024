// The transcript and py_float (support.h).
#include "demos/support.h"

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "core/concur.h"

namespace concur::demos {

namespace {
// Guards the living transcript's lines. One of the core's Locks, not a std::mutex, because
// print() is a scheduling point: in a --deterministic run another thread may take the turn
// mid-say() and must then wait for the transcript in the seam, where the scheduler sees it.
Lock transcript_lock("transcript");
// The Transcript say() records in, if one lives. Set and cleared without the lock: a run
// makes its Transcript before its threads start and they are joined before it goes, and a
// destructor must not wait in the seam (a stopped run refuses waits there).
std::atomic<Transcript*> living{nullptr};
}  // namespace

Transcript::Transcript() {
  if (living.load()) throw std::logic_error("a Transcript is already alive");
  living.store(this);
}

Transcript::~Transcript() { living.store(nullptr); }

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
  Transcript* transcript = living.load();
  if (!transcript) return;
  double at = time::perf_counter();
  for (std::size_t from = 0, to = 0; to != std::string::npos; from = to + 1) {
    to = line.find('\n', from);
    transcript->said_.push_back({current_thread_name(), get_ident(), line.substr(from, to - from), at});
  }
}

std::string py_float(double x) { return process::str(process::Value(x)); }

}  // namespace concur::demos
