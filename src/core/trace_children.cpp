#include "core/trace_children.h"

#include <fmt/format.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

#include "core/runtime.h"
#include "core/trace.h"

namespace concur::trace {

namespace {

// The channel to the children: the run's directory and whether to narrate, in the
// environment every child inherits (fork, spawn and the forkserver's children alike).
constexpr const char* kDirVariable = "CONCUR_TRACE_DIR";
constexpr const char* kNarrateVariable = "CONCUR_TRACE_NARRATE";
constexpr const char* kLiveVariable = "CONCUR_TRACE_LIVE";

// Where this run's children write their records (the parent; a child: its parent's).
std::mutex dir_mutex;
std::string children_dir;
std::string this_child_name;  // in a child that records: its process name
std::atomic<int> live_fd{-1};  // in a child that streams its events (--live): its .live file

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

// One event as a line of a child's files: tab-separated, ending in a newline. The live file's
// lines carry the item an event moved and its object's identity too.
std::string event_line(const Event& e, bool with_item) {
  std::string line = fmt::format("{:.9f}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", e.t, static_cast<int>(e.kind),
                                 e.thread_no, static_cast<int>(e.site), e.ok ? 1 : 0, e.value, escape(e.thread_name),
                                 escape(e.object), escape(e.action), e.task ? 1 : 0, static_cast<int>(e.woke));
  if (with_item) line += fmt::format("\t{}\t{}", escape(e.item), e.id);
  return line + '\n';
}

// The event on `line` (event_line's), shifted by `shift` lecture seconds; false if malformed.
// Ten fields (no why), eleven, or thirteen (a live file's, with the item).
bool parse_event(const std::string& line, double shift, long pid, Event& e) {
  std::vector<std::string> f;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    f.push_back(line.substr(start, tab - start));
  f.push_back(line.substr(start));
  if (f.size() != 10 && f.size() != 11 && f.size() != 13) return false;
  try {
    e = Event{std::stod(f[0]) + shift,         static_cast<Kind>(std::stoi(f[1])), nullptr, unescape(f[6]),
              static_cast<SiteKind>(std::stoi(f[3])), unescape(f[7]), unescape(f[8]), std::stod(f[5]),
              f[4] == "1",                     std::stoi(f[2]),
              pid,                             f[9] == "1"};
    if (f.size() >= 11) e.woke = static_cast<Woke>(std::stoi(f[10]));
    if (f.size() == 13) {
      e.item = unescape(f[11]);
      e.id = std::stoull(f[12]);
    }
  } catch (const std::exception&) {
    return false;
  }
  return true;
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
    Event e;
    if (!parse_event(line, shift, out.pid, e)) return false;
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

// A child's listener under --live: the event, a line, appended to its .live file in one
// write(2) (O_APPEND: lines of several threads never mix), which never waits on a primitive.
void stream_event(const Event& e) {
  int fd = live_fd.load(std::memory_order_relaxed);
  if (fd < 0) return;
  std::string line = event_line(e, true);
  [[maybe_unused]] ssize_t n = ::write(fd, line.data(), line.size());
}

// In the parent: how far each child's .live file has been read.
struct LiveFile {
  long pid = 0;
  std::string name;
  double origin = 0;  // the child's clock origin (its header), 0 until read
  bool header = false;
  off_t offset = 0;
  std::string partial;  // a line not yet whole
};
std::mutex live_mutex;
std::map<std::string, LiveFile> live_files;

}  // namespace

std::vector<ProcessTrace> live_news() {
  std::string dir;
  {
    std::lock_guard lk(dir_mutex);
    dir = children_dir;
  }
  if (dir.empty()) return {};
  std::lock_guard lk(live_mutex);
  std::vector<ProcessTrace> news;
  double ns_per_second = ns_per_lecture_second();
  double parent_origin = origin_ns();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".live") continue;
    LiveFile& f = live_files[entry.path().string()];
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char chunk[65536];
    for (ssize_t r; (r = ::pread(fd, chunk, sizeof chunk, f.offset)) > 0; f.offset += r)
      f.partial.append(chunk, static_cast<std::size_t>(r));
    ::close(fd);
    ProcessTrace p;
    std::size_t from = 0;
    for (std::size_t nl; (nl = f.partial.find('\n', from)) != std::string::npos; from = nl + 1) {
      std::string line = f.partial.substr(from, nl - from);
      if (!f.header) {
        std::istringstream header(line);
        std::string magic, name;
        if (!(header >> magic >> f.pid >> f.origin) || magic != "concur-trace") break;
        std::getline(header >> std::ws, name);
        f.name = unescape(name);
        f.header = true;
        continue;
      }
      Event e;
      if (parse_event(line, (f.origin - parent_origin) / ns_per_second, f.pid, e)) p.events.push_back(std::move(e));
    }
    f.partial.erase(0, from);
    if (p.events.empty()) continue;
    p.pid = f.pid;
    p.name = f.name;
    news.push_back(std::move(p));
  }
  return news;
}

void start_children(bool narrate, bool live) {
  std::string root = temp_root();
  remove_stale_dirs(root);
  std::string name = fmt::format("{}/concur-trace-{}-XXXXXX", root, ::getpid());
  if (!::mkdtemp(name.data())) return;  // no directory: the run records its own threads only
  std::lock_guard lk(dir_mutex);
  children_dir = name;
  ::setenv(kDirVariable, name.c_str(), 1);
  ::setenv(kNarrateVariable, narrate ? "1" : "0", 1);
  if (live) ::setenv(kLiveVariable, "1", 1);
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
  ::unsetenv(kLiveVariable);
  {
    std::lock_guard lk(live_mutex);
    live_files.clear();
  }
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
  if (int inherited = live_fd.exchange(-1); inherited >= 0) ::close(inherited);  // a parent child's stream
  const char* narrate = std::getenv(kNarrateVariable);
  {
    std::lock_guard lk(dir_mutex);
    children_dir = dir;
    this_child_name = process_name;
  }
  restart_in_child(narrate && std::string(narrate) == "1", process_name);
  const char* live = std::getenv(kLiveVariable);
  if (!live || std::string(live) != "1") return;
  // --live: every event from now on also goes to this child's .live file, a line each, after
  // a header (as the record file's) and the start of the thread that runs the body
  std::string path = fmt::format("{}/{}.live", dir, ::getpid());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return;
  Event start{scheduler().elapsed(), Kind::kStart, nullptr, current_thread_state().name};
  start.thread_no = 1;
  std::string text = fmt::format("concur-trace {} {:.0f} {}\n", ::getpid(), origin_ns(), escape(process_name)) +
                     event_line(start, true);
  if (::write(fd, text.data(), text.size()) < 0) {
    ::close(fd);
    return;
  }
  live_fd.store(fd);
  set_listener(&stream_event);
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
  if (int fd = live_fd.exchange(-1); fd >= 0) {
    set_listener(nullptr);
    ::close(fd);
  }
  std::ostringstream text;
  text << "concur-trace " << ::getpid() << ' ' << fmt::format("{:.0f}", origin_ns()) << ' ' << escape(name) << '\n';
  for (const Event& e : events) text << event_line(e, false);
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
