#include "core/trace_children.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <tuple>

#include "core/trace.h"

namespace concur::trace {

namespace {

// The channel to the children: the run's directory and whether to narrate, in the
// environment every child inherits (fork, spawn and the forkserver's children alike).
constexpr const char* kDirVariable = "CONCUR_TRACE_DIR";
constexpr const char* kNarrateVariable = "CONCUR_TRACE_NARRATE";

// Where this run's children write their records (the parent; a child: its parent's).
std::mutex dir_mutex;
std::string children_dir;
std::string this_child_name;  // in a child that records: its process name

// Real nanoseconds a lecture second takes in this run (the scheduler's scale).
double ns_per_lecture_second() {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(scheduler().to_real(1.0)).count());
}

// Real nanoseconds (CLOCK_MONOTONIC, the same in every process) at which this process's
// lecture clock read 0, so that a child's times can be put on the parent's clock.
double origin_ns() {
  double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count());
  return now - ns_per_lecture_second() * scheduler().elapsed();
}

// A string on one line of a child's record file: tab, newline and backslash escaped.
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

// Reads one child's record file: its events, shifted from its clock onto ours.
bool read_child(const std::filesystem::path& path, double parent_origin, double ns_per_second, ProcessTrace& out) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return false;
  std::istringstream header(line);
  std::string magic, name;
  double origin = 0;
  if (!(header >> magic >> out.pid >> origin) || magic != "concur-trace") return false;
  std::getline(header >> std::ws, name);
  out.name = unescape(name);
  double shift = (origin - parent_origin) / ns_per_second;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      f.push_back(line.substr(start, tab - start));
    f.push_back(line.substr(start));
    if (f.size() != 10) return false;
    Event e{std::stod(f[0]) + shift,         static_cast<Kind>(std::stoi(f[1])), nullptr, unescape(f[6]),
            static_cast<SiteKind>(std::stoi(f[3])), unescape(f[7]), unescape(f[8]), std::stod(f[5]),
            f[4] == "1",                     std::stoi(f[2]),
            out.pid,                         f[9] == "1"};
    out.events.push_back(std::move(e));
  }
  return true;
}

// Where the children's event files go: $TMPDIR, else /tmp.
std::string temp_root() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// Removes the event folders of earlier traced runs that died before they could (SIGKILL):
// ours (same owner), named concur-trace-PID-*, whose PID no longer runs.
void remove_stale_dirs(const std::string& root) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with("concur-trace-")) continue;
    long pid = std::strtol(name.c_str() + 13, nullptr, 10);
    struct stat st {};
    if (pid <= 0 || ::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
      continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove_all(entry.path(), ec);
  }
}

}  // namespace

void start_children(bool narrate) {
  std::string root = temp_root();
  remove_stale_dirs(root);
  std::string name = fmt::format("{}/concur-trace-{}-XXXXXX", root, ::getpid());
  if (!::mkdtemp(name.data())) return;  // no directory: the run records its own threads only
  std::lock_guard lk(dir_mutex);
  children_dir = name;
  ::setenv(kDirVariable, name.c_str(), 1);
  ::setenv(kNarrateVariable, narrate ? "1" : "0", 1);
}

std::vector<ProcessTrace> children() {
  std::string dir;
  {
    std::lock_guard lk(dir_mutex);
    dir.swap(children_dir);
  }
  if (dir.empty()) return {};
  ::unsetenv(kDirVariable);
  ::unsetenv(kNarrateVariable);
  std::vector<ProcessTrace> found;
  double ns_per_second = ns_per_lecture_second();
  double parent_origin = origin_ns();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    ProcessTrace p;
    if (entry.path().extension() == ".events" && read_child(entry.path(), parent_origin, ns_per_second, p))
      found.push_back(std::move(p));
  }
  std::filesystem::remove_all(dir, ec);
  std::sort(found.begin(), found.end(), [](const ProcessTrace& a, const ProcessTrace& b) {
    double ta = a.events.empty() ? 0 : a.events.front().t, tb = b.events.empty() ? 0 : b.events.front().t;
    return std::tie(ta, a.pid) < std::tie(tb, b.pid);
  });
  return found;
}

void begin_child(const std::string& process_name) {
  const char* dir = std::getenv(kDirVariable);
  if (!dir || !*dir) {
    recording.store(false);  // a forked child of a run that records only its own threads
    return;
  }
  const char* narrate = std::getenv(kNarrateVariable);
  {
    std::lock_guard lk(dir_mutex);
    children_dir = dir;
    this_child_name = process_name;
  }
  restart_in_child(narrate && std::string(narrate) == "1", process_name);
}

void end_child() {
  std::string dir, name;
  {
    std::lock_guard lk(dir_mutex);
    dir.swap(children_dir);
    name = this_child_name;
  }
  if (dir.empty() || !on()) return;
  std::vector<Event> events = stop();
  std::ostringstream text;
  text << "concur-trace " << ::getpid() << ' ' << fmt::format("{:.0f}", origin_ns()) << ' ' << escape(name) << '\n';
  for (const Event& e : events)
    text << fmt::format("{:.9f}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", e.t, static_cast<int>(e.kind), e.thread_no,
                        static_cast<int>(e.site), e.ok ? 1 : 0, e.value, escape(e.thread_name), escape(e.object),
                        escape(e.action), e.task ? 1 : 0);
  // Complete or absent: the parent reads only *.events, and a rename is atomic.
  std::string final_path = fmt::format("{}/{}.events", dir, ::getpid());
  std::string temp = final_path + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "w");
  if (!f) return;
  std::string s = text.str();
  bool ok = std::fwrite(s.data(), 1, s.size(), f) == s.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), final_path.c_str()) != 0) std::remove(temp.c_str());
}

}  // namespace concur::trace
