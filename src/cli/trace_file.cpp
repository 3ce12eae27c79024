#include "trace_file.h"

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

#include "usage_error.h"

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

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// The document with one trace event per line, for a reader who opens the file.
std::string serialize(const json& doc) {
  std::string text = "{\"traceEvents\": [\n";
  const json& events = doc.at("traceEvents");
  for (std::size_t i = 0; i < events.size(); ++i) text += dump(events[i]) + (i + 1 < events.size() ? ",\n" : "\n");
  text += "]";
  for (const auto& [key, value] : doc.items())
    if (key != "traceEvents") text += ",\n" + dump(key) + ": " + dump(value);
  return text + "}\n";
}

}  // namespace

void check_trace_path(const std::string& option, const std::string& path) {
  auto fail = [&](const std::string& reason) { throw UsageError(option + ": cannot write '" + path + "': " + reason); };
  if (path.empty()) fail("no file name");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail("it is a directory");
    if (::access(path.c_str(), W_OK) != 0) fail("the file is read-only");
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (::stat(dir.c_str(), &st) != 0)
    fail(errno == ENOENT ? "directory '" + dir + "' does not exist" : std::string(std::strerror(errno)));
  if (!S_ISDIR(st.st_mode)) fail("'" + dir + "' is not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) fail("directory '" + dir + "' is not writable");
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
  auto fail = [&](int err) { throw std::runtime_error("cannot write '" + path + "': " + std::strerror(err)); };
  // A fresh temporary name next to `path` ("x" = O_EXCL: never someone else's file).
  std::string temp;
  std::FILE* file = nullptr;
  for (int i = 0; !file && i < 100; ++i) {
    temp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(i);
    file = std::fopen(temp.c_str(), "wx");
    if (!file && errno != EEXIST) fail(errno);
  }
  if (!file) fail(EEXIST);
  int err = 0;
  if (std::fwrite(text.data(), 1, text.size(), file) != text.size() || std::fflush(file) != 0 ||
      ::fsync(::fileno(file)) != 0)
    err = errno;
  if (std::fclose(file) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(temp.c_str(), path.c_str()) == 0) return;
  if (err == 0) err = errno;
  std::remove(temp.c_str());
  fail(err);
}

void write_trace(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                 const std::string& path, const std::string& process_name, long pid) {
  write_file_atomically(path, serialize(trace_json(events, children, process_name, pid)));
}

}  // namespace concur::cli
