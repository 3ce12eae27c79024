#include "cli/trace_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <tuple>

#include "cli/usage_error.h"
#include "core/narration.h"

namespace concur::cli {

namespace {

using nlohmann::json;
using trace::Event;
using trace::Kind;

constexpr long long kOpen = -1;

long long micros(double lecture_seconds) { return std::llround(lecture_seconds * 1e6); }

// A slice (or, with `instant`, a point) on one thread's track, in lecture microseconds.
struct Span {
  long tid;
  long long ts, end = kOpen;
  std::string name, cat;
  json args = json::object();
  bool instant = false;
};

// What an instant's `value` counts, by site kind; nullptr where it counts nothing.
const char* value_key(SiteKind kind) {
  switch (kind) {
    case SiteKind::kQueue: return "queue size";
    case SiteKind::kSemaphore: return "value";
    case SiteKind::kCondition: return "woken";
    default: return nullptr;
  }
}

// A tid per thread: MainThread 1, the others 2, 3, ... in order of first appearance.
std::map<trace::ThreadKey, long> number_threads(const std::vector<Event>& events) {
  std::map<trace::ThreadKey, long> tids;
  auto main = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.thread_name == "MainThread"; });
  if (main != events.end()) tids.emplace(trace::key_of(*main), 1);
  for (const Event& e : events) tids.emplace(trace::key_of(e), static_cast<long>(tids.size()) + 1);
  return tids;
}

// Makes each thread's slices nest, as Perfetto requires: sorted by start, longer first; a
// slice that outlasts the one it starts in (locks released out of order) is cut at that
// one's end, its recorded duration kept in args.
void nest(std::vector<Span>& spans) {
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::make_tuple(a.tid, a.ts, -a.end) < std::make_tuple(b.tid, b.ts, -b.end);
  });
  std::vector<const Span*> open;
  for (Span& s : spans) {
    if (s.instant) continue;
    while (!open.empty() && (open.back()->tid != s.tid || open.back()->end <= s.ts)) open.pop_back();
    if (!open.empty() && s.end > open.back()->end) {
      s.args["recorded_dur_us"] = s.end - s.ts;
      s.end = open.back()->end;
    }
    open.push_back(&s);
  }
}

json trace_event(const Span& s, long pid) {
  json e = {{"ph", s.instant ? "i" : "X"}, {"name", s.name}, {"cat", s.cat}, {"ts", s.ts}, {"pid", pid}};
  e["tid"] = s.tid;
  e["args"] = s.args;
  if (s.instant)
    e["s"] = "t";  // thread-scoped
  else
    e["dur"] = s.end - s.ts;
  return e;
}

// Appends one process's track to `out`: its name, its threads' names and order, then its
// slices and instants by time. `sort_index` orders the process tracks.
void append_process(json& out, const std::vector<Event>& events, const std::string& process_name, long pid,
                    long sort_index) {
  std::map<trace::ThreadKey, long> tids = number_threads(events);
  std::map<long, std::string> names;  // tid -> its latest name
  std::vector<Span> spans;
  std::map<long, std::size_t> runs;                       // tid -> its run() slice
  std::map<long, std::vector<std::size_t>> waits;         // tid -> open waits and sleeps, innermost last
  std::map<std::string, std::vector<std::size_t>> holds;  // object -> open holds, latest last
  std::map<long, long long> ended;                        // tid -> when run() returned
  long long last = 0;
  for (const Event& e : events) {
    long tid = tids.at(trace::key_of(e));
    long long t = micros(e.t);
    std::string cat = kind_name(e.site);
    names[tid] = e.thread_name;
    last = std::max(last, t);
    switch (e.kind) {
      case Kind::kStart:
        runs[tid] = spans.size();
        spans.push_back({tid, t, kOpen, "run()", "thread"});
        break;
      case Kind::kEnd:
        ended[tid] = t;
        if (runs.count(tid)) spans[runs[tid]].end = t;
        break;
      case Kind::kWait:
        waits[tid].push_back(spans.size());
        spans.push_back({tid, t, kOpen, "wait for " + e.object, cat, {{"object", e.object}}});
        if (!e.action.empty()) spans.back().args["held_by"] = e.action;
        break;
      case Kind::kSleep:
        waits[tid].push_back(spans.size());
        spans.push_back({tid, t, kOpen, "sleep", "sleep", {{"seconds", e.value}}});
        break;
      case Kind::kWoken:
      case Kind::kAwake:
        if (waits[tid].empty()) break;
        if (e.kind == Kind::kWoken) spans[waits[tid].back()].args["got"] = e.ok;
        if (e.kind == Kind::kWoken && e.woke != trace::Woke::kGot)
          spans[waits[tid].back()].args["why"] = trace::why_it_stopped(e.woke);
        spans[waits[tid].back()].end = t;
        waits[tid].pop_back();
        break;
      case Kind::kHold: {
        // A second hold of one object by one thread ends the first (RLock::release_save,
        // under Condition.wait, records no release).
        std::vector<std::size_t>& open = holds[e.object];
        std::erase_if(open, [&](std::size_t i) {
          if (spans[i].tid != tid) return false;
          spans[i].end = t;
          return true;
        });
        open.push_back(spans.size());
        spans.push_back({tid, t, kOpen, "hold " + e.object, cat, {{"object", e.object}}});
        break;
      }
      case Kind::kRelease: {
        // Ends the releasing thread's own hold, else (a Lock may be released by any thread)
        // the latest hold of it; a release of another's hold also shows as an instant.
        std::vector<std::size_t>& open = holds[e.object];
        auto own = std::find_if(open.rbegin(), open.rend(), [&](std::size_t i) { return spans[i].tid == tid; });
        bool mine = own != open.rend();
        if (!open.empty()) {
          auto hold = mine ? std::prev(own.base()) : std::prev(open.end());
          spans[*hold].end = t;
          open.erase(hold);
        }
        if (!mine) spans.push_back({tid, t, t, "releases " + e.object, cat, {{"object", e.object}}, true});
        break;
      }
      case Kind::kInstant:
        spans.push_back({tid, t, t, e.action + " " + e.object, cat, {{"object", e.object}}, true});
        if (const char* key = value_key(e.site)) spans.back().args[key] = std::llround(e.value);
        break;
    }
  }
  for (Span& s : spans) {
    if (s.end != kOpen) continue;
    s.end = std::max(s.ts, ended.count(s.tid) ? ended[s.tid] : last);
    if (s.name != "run()") s.args["unfinished"] = true;
  }
  nest(spans);
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::make_tuple(a.ts, a.ts - a.end, a.tid) < std::make_tuple(b.ts, b.ts - b.end, b.tid);
  });
  out.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", pid}, {"args", {{"name", process_name}}}});
  out.push_back({{"ph", "M"}, {"name", "process_sort_index"}, {"pid", pid}, {"args", {{"sort_index", sort_index}}}});
  for (const auto& [tid, name] : names) {
    out.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
    out.push_back(
        {{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", pid}, {"tid", tid}, {"args", {{"sort_index", tid}}}});
  }
  for (const Span& s : spans) out.push_back(trace_event(s, pid));
}

std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// The document with one trace event per line, for a reader who opens the file.
std::string serialize(const json& doc) {
  std::string text = "{\"traceEvents\": [\n";
  const json& events = doc.at("traceEvents");
  for (std::size_t i = 0; i < events.size(); ++i) text += json_text(events[i]) + (i + 1 < events.size() ? ",\n" : "\n");
  text += "]";
  for (const auto& [key, value] : doc.items())
    if (key != "traceEvents") text += ",\n" + json_text(key) + ": " + json_text(value);
  return text + "}\n";
}

}  // namespace

namespace {

// Where writing `path` really goes. A symbolic link is followed to its final target (up to
// 40 links, as the kernel does), which is written, never the link replaced; a fifo or a
// character device (/dev/null, /dev/full, a terminal) is written in place (`stream`); a
// regular file or a new name gets the atomic temporary-then-rename. Throws
// std::runtime_error(reason) for anything else.
struct Target {
  std::string path;
  bool stream = false;
};

Target resolve(const std::string& path) {
  std::filesystem::path p = path;
  for (int links = 0;; ++links) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno == ENOENT) return {p.string(), false};  // a new file (or a dangling link's target)
      throw std::runtime_error(std::strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
      if (links == 40) throw std::runtime_error(std::strerror(ELOOP));
      std::error_code ec;
      std::filesystem::path to = std::filesystem::read_symlink(p, ec);
      if (ec) throw std::runtime_error(ec.message());
      p = to.is_absolute() ? to : p.parent_path() / to;
      continue;
    }
    if (S_ISREG(st.st_mode)) return {p.string(), false};
    if (S_ISDIR(st.st_mode)) throw std::runtime_error("it is a directory");
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) return {p.string(), true};
    throw std::runtime_error("it is not a regular file, a fifo or a character device");
  }
}

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Creates a fresh temporary file next to `path` (O_EXCL: never someone else's file), or
// throws std::runtime_error(reason). Returns its descriptor; `temp` gets its name.
int create_temporary(const std::string& path, std::string& temp) {
  for (int i = 0; i < 100; ++i) {
    temp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(i);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno == EEXIST) continue;
    int err = errno;
    std::string dir = directory_of(path);
    struct stat st {};
    if (err == ENOENT && ::stat(dir.c_str(), &st) != 0)
      throw std::runtime_error("directory '" + dir + "' does not exist");
    if (err == ENOTDIR) throw std::runtime_error("'" + dir + "' is not a directory");
    if (err == EACCES) throw std::runtime_error("directory '" + dir + "' is not writable");
    throw std::runtime_error(err == ENOENT ? "no file can be made in '" + dir + "'" : std::strerror(err));
  }
  throw std::runtime_error(std::strerror(EEXIST));
}

// Writes all of `text` to `fd`; 0 or the errno of the failure.
int write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

void check_trace_path(const std::string& option, const std::string& path) {
  auto fail = [&](const std::string& reason) { throw UsageError(option + ": cannot write '" + path + "': " + reason); };
  if (path.empty()) fail("no file name");
  try {
    Target t = resolve(path);
    if (t.stream) {
      if (::access(t.path.c_str(), W_OK) != 0) fail(std::strerror(errno));
      return;
    }
    if (::access(t.path.c_str(), F_OK) == 0 && ::access(t.path.c_str(), W_OK) != 0) fail("the file is read-only");
    // The test is to make the temporary file the run will write (then remove it): every
    // reason it cannot be made is found now, before the demo runs, and nothing is left.
    std::string temp;
    int fd = create_temporary(t.path, temp);
    ::close(fd);
    ::unlink(temp.c_str());
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

bool same_output(const std::string& a, const std::string& b) {
  std::string ta, tb;
  try {
    ta = resolve(a).path;
    tb = resolve(b).path;
  } catch (const std::exception&) {
    return false;  // check_trace_path reports it
  }
  struct stat sa {}, sb {};
  if (::stat(ta.c_str(), &sa) == 0 && ::stat(tb.c_str(), &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ec;
  return std::filesystem::weakly_canonical(ta, ec) == std::filesystem::weakly_canonical(tb, ec);
}

json trace_json(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                const std::string& process_name, long pid) {
  json doc = {{"traceEvents", json::array()},
              {"displayTimeUnit", "ms"},
              {"otherData",
               {{"clock", "lecture seconds"}, {"time unit", "microseconds of lecture time"}, {"generator", "concur"}}}};
  append_process(doc["traceEvents"], events, process_name, pid, 0);
  long index = 0;
  for (const trace::ProcessTrace& child : children)
    append_process(doc["traceEvents"], child.events, child.name, child.pid, ++index);
  return doc;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  auto fail = [&](const std::string& reason) { throw std::runtime_error("cannot write '" + path + "': " + reason); };
  Target t;
  try {
    t = resolve(path);
  } catch (const std::exception& e) {
    fail(e.what());
  }
  if (t.stream) {  // a fifo or a device: written in place, never replaced
    int fd = ::open(t.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(std::strerror(errno));
    int err = write_all(fd, text);
    ::close(fd);
    if (err != 0) fail(std::strerror(err));
    return;
  }
  std::string temp;
  int fd = -1;
  try {
    fd = create_temporary(t.path, temp);
  } catch (const std::exception& e) {
    fail(e.what());
  }
  int err = write_all(fd, text);  // EFBIG past `ulimit -f` (SIGXFSZ is ignored: main.cpp)
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(temp.c_str(), t.path.c_str()) == 0) return;
  if (err == 0) err = errno;
  ::unlink(temp.c_str());
  fail(std::strerror(err));
}

void write_trace(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                 const std::string& path, const std::string& process_name, long pid) {
  write_file_atomically(path, serialize(trace_json(events, children, process_name, pid)));
}

}  // namespace concur::cli
