#include "core/deadlock.h"

#include <algorithm>
#include <mutex>

#include "core/output.h"
#include "core/wait_table.h"

namespace concur::deadlock {

namespace {
std::mutex report_mutex;
bool has_report = false;
std::vector<std::string> lines;
}  // namespace

std::vector<Link> find_cycle(ThreadState& start) {
  std::vector<ThreadState*> path;
  std::vector<Link> links;
  ThreadState* t = &start;
  for (int step = 0; step < 256; ++step) {
    auto seen = std::find(path.begin(), path.end(), t);
    if (seen != path.end()) return {links.begin() + (seen - path.begin()), links.end()};
    path.push_back(t);
    if (!t->wait_forever.load()) return {};
    WaitSite* site = t->waiting_on.load();
    if (!site) return {};
    ThreadState* holder = site->owner.load();
    if (!holder) return {};
    links.push_back({t, site, holder});
    t = holder;
  }
  return {};
}

std::vector<std::string> describe(const std::vector<Link>& cycle) {
  std::vector<std::string> out;
  if (cycle.size() == 1 && cycle[0].site->kind() != SiteKind::kThread) {
    const Link& l = cycle[0];
    out.push_back("Deadlock detected: " + l.thread->name + " waits for a lock it holds itself.");
    out.push_back("  " + l.thread->name + " holds " + l.site->label() + ", waits for " + l.site->label() +
                  " held by " + l.holder->name + " (a " + kind_name(l.site->kind()) +
                  " is not re-entrant)");
    return out;
  }
  out.push_back("Deadlock detected: " + std::to_string(cycle.size()) +
                " threads wait for each other in a cycle; none can go on.");
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const Link& l = cycle[i];
    const Link& prev = cycle[(i + cycle.size() - 1) % cycle.size()];
    std::string line = "  " + l.thread->name;
    if (prev.site->kind() != SiteKind::kThread) line += " holds " + prev.site->label() + ",";
    if (l.site->kind() == SiteKind::kThread)
      line += " waits for " + l.holder->name + " to finish";
    else
      line += " waits for " + l.site->label() + " held by " + l.holder->name;
    out.push_back(line);
  }
  return out;
}

void report(const std::vector<Link>& cycle) {
  if (cycle.empty()) return;
  std::lock_guard lk(report_mutex);
  // A cycle whose threads are all being unwound already has been reported (each of its
  // threads may find it); a new cycle later in the run is reported too.
  bool all_stopped = std::all_of(cycle.begin(), cycle.end(), [](const Link& l) { return l.thread->stop.load() != 0; });
  if (all_stopped) return;
  for (const auto& link : cycle) stop_thread(*link.thread, 1);
  has_report = true;
  for (auto& line : describe(cycle)) {
    print(line);
    lines.push_back(std::move(line));
  }
}

bool report_stuck(const std::vector<ThreadState*>& waiting) {
  std::lock_guard lk(report_mutex);
  std::vector<std::string> out{"Deadlock detected: every thread waits and no thread is left to wake them."};
  std::vector<ThreadState*> ends;
  for (ThreadState* t : waiting) {
    WaitSite* site = t->waiting_on.load();
    if (!site || t->stop.load() != 0) continue;
    if (site->kind() == SiteKind::kThread) {
      out.push_back("  " + t->name + " waits for " + site->label() + " to finish");
    } else {
      out.push_back("  " + t->name + " waits for " + site->label() + ", which no thread will " +
                    (site->kind() == SiteKind::kQueue ? "fill" : "release or set"));
      ends.push_back(t);
    }
  }
  if (ends.empty()) return false;
  for (ThreadState* t : ends) stop_thread(*t, 1);
  has_report = true;
  for (auto& line : out) {
    print(line);
    lines.push_back(std::move(line));
  }
  return true;
}

void report_stuck_lines(const std::vector<std::string>& out) {
  std::lock_guard lk(report_mutex);
  has_report = true;
  for (const auto& line : out) {
    print(line);
    lines.push_back(line);
  }
}

bool reported() {
  if (wait_table::reported()) return true;  // a run stuck across processes, reported anywhere
  std::lock_guard lk(report_mutex);
  return has_report;
}

std::vector<std::string> report_lines() {
  std::lock_guard lk(report_mutex);
  return lines;
}

std::mutex& fork_mutex() { return report_mutex; }

void reset() {
  std::lock_guard lk(report_mutex);
  has_report = false;
  lines.clear();
}

}  // namespace concur::deadlock
