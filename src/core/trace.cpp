#include "core/trace.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "core/runtime.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace concur::trace {

namespace {

constexpr std::uint32_t kNone = 0xffffffff;
constexpr const char* kDirVariable = "CONCUR_TRACE_DIR";
constexpr const char* kNarrateVariable = "CONCUR_TRACE_NARRATE";

// One event as the recording thread keeps it: strings are numbers into its buffer's table.
struct Raw {
  std::uint64_t stamp;  // tick() in real runs; the lecture seconds' bits on a virtual clock
  std::uint64_t seq;  // the order events happened in, across threads (ties in t)
  double value;
  std::uint32_t name, object, action;
  Kind kind;
  SiteKind site;
  bool ok;
  bool task;  // `name` is an asyncio task's
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One thread's record of one run. Only its thread appends; `stop()` reads it under `mutex`,
// which the thread takes for each append (never contended but by `stop()` itself).
struct Buffer {
  std::uint64_t generation;
  const ThreadState* thread;
  int thread_no;
  std::mutex mutex;
  // The events, in chunks that never move once written (no copying as the record grows).
  static constexpr std::size_t kChunk = 4096;
  std::vector<std::unique_ptr<Raw[]>> chunks;
  std::size_t count = 0;

  void push(const Raw& r) {
    if (count == chunks.size() * kChunk) chunks.push_back(std::make_unique_for_overwrite<Raw[]>(kChunk));
    chunks[count / kChunk][count % kChunk] = r;
    ++count;
  }
  const Raw& at(std::size_t i) const { return chunks[i / kChunk][i % kChunk]; }
  std::vector<std::string> strings;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> index;
  std::uint32_t recent[4] = {kNone, kNone, kNone, kNone};  // the last strings interned
  unsigned next_recent = 0;

  // The number of `s` in this buffer's table, adding it the first time.
  std::uint32_t intern(std::string_view s) {
    if (s.empty()) return kNone;
    for (std::uint32_t id : recent)
      if (id != kNone && strings[id] == s) return id;
    auto it = index.find(s);
    std::uint32_t id;
    if (it != index.end()) {
      id = it->second;
    } else {
      id = static_cast<std::uint32_t>(strings.size());
      strings.emplace_back(s);
      index.emplace(strings.back(), id);
    }
    recent[next_recent++ % 4] = id;
    return id;
  }
  std::string text(std::uint32_t id) const { return id == kNone ? std::string() : strings[id]; }
};

// The registry of this run's buffers. A buffer lives as long as the registry or the thread
// that writes it, whichever is longer (a daemon thread may outlive the run's record).
std::mutex registry_mutex;
std::vector<std::shared_ptr<Buffer>>* registry = new std::vector<std::shared_ptr<Buffer>>;
// Registries a child dropped (see reset): kept reachable (a leak checker sees them) and
// never destroyed, not even at exit.
auto* abandoned = new std::vector<std::vector<std::shared_ptr<Buffer>>*>;
std::atomic<std::uint64_t> generation{0};
std::atomic<std::uint64_t> sequence{0};
std::atomic<bool> narrating{false};

// Real runs stamp events with a cheap tick counter, put on the lecture clock when the record
// is taken: two readings (at start and at take) give the line from ticks to lecture seconds.
// The time-stamp counter costs a third of a clock_gettime (it is what the kernel's "tsc"
// clocksource reads, constant-rate and synchronised across cores); elsewhere steady_clock.
std::uint64_t tick() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(SteadyClock::now().time_since_epoch().count());
#endif
}
bool virtual_clock = false;       // this record's times are lecture seconds already
std::uint64_t start_tick = 0;     // tick() and lecture time when the record began
double start_time = 0;
std::string children_dir;             // where this run's children write their records
std::vector<ProcessTrace> collected;  // by the last stop()
std::string child_name;               // in a child that records: its process name
thread_local std::shared_ptr<Buffer> mine;

Buffer& my_buffer(const ThreadState& me) {
  std::uint64_t g = generation.load(std::memory_order_acquire);
  if (mine && mine->generation == g && mine->thread == &me) return *mine;
  auto b = std::make_shared<Buffer>();
  b->generation = g;
  b->thread = &me;
  {
    std::lock_guard lk(registry_mutex);
    b->thread_no = static_cast<int>(registry->size()) + 1;
    registry->push_back(b);
  }
  mine = b;
  return *b;
}

// "semaphore 1 is 0", "queue 1 is empty": why a wait on this kind of site waits.
std::string why_waiting(const Event& e) {
  switch (e.site) {
    case SiteKind::kLock:
    case SiteKind::kRLock:
      return fmt::format("waits for {}{}", e.object, e.action.empty() ? "" : ", held by " + e.action);
    case SiteKind::kSemaphore: return fmt::format("waits: {} is 0", e.object);
    case SiteKind::kEvent: return fmt::format("waits for {} to be set", e.object);
    case SiteKind::kCondition: return fmt::format("waits on {} (its lock is released meanwhile)", e.object);
    case SiteKind::kBarrier: return fmt::format("waits at {} for the others", e.object);
    case SiteKind::kQueue: return fmt::format("waits until {}", e.object);
    case SiteKind::kFuture: return fmt::format("waits for {}", e.object);
    case SiteKind::kThread: return fmt::format("waits for {} to finish", e.object);
    case SiteKind::kSleep: return "sleeps";
    case SiteKind::kPipe: return fmt::format("waits for {} to be readable or writable", e.object);
  }
  return "waits";
}

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

// The events of every buffer, ordered by time (then by the order they were recorded).
std::vector<Event> take_all() {
  std::vector<std::shared_ptr<Buffer>> buffers;
  {
    std::lock_guard lk(registry_mutex);
    buffers = *registry;
  }
  double end_time = scheduler().elapsed();
  std::uint64_t end_tick = tick();
  double per_tick = end_tick > start_tick ? (end_time - start_time) / static_cast<double>(end_tick - start_tick) : 0;
  auto lecture_time = [&](std::uint64_t stamp) {
    return virtual_clock ? std::bit_cast<double>(stamp)
                         : start_time + static_cast<double>(static_cast<std::int64_t>(stamp - start_tick)) * per_tick;
  };
  std::vector<std::pair<std::uint64_t, Event>> all;
  for (const auto& b : buffers) {
    std::lock_guard lk(b->mutex);
    for (std::size_t i = 0; i < b->count; ++i) {
      const Raw& r = b->at(i);
      Event e{lecture_time(r.stamp), r.kind, b->thread, b->text(r.name), r.site, b->text(r.object), b->text(r.action), r.value, r.ok,
              b->thread_no, 0, r.task};
      all.emplace_back(r.seq, std::move(e));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Event> events;
  events.reserve(all.size());
  for (auto& [seq, e] : all) events.push_back(std::move(e));
  return events;
}

// Starts a fresh record in this process. In a child (`abandon`) the old registry is dropped,
// not destroyed: after fork its buffers' locks may be held by threads that do not exist there.
void reset(bool narrate, bool abandon = false) {
  std::lock_guard lk(registry_mutex);
  if (abandon)
    abandoned->push_back(registry);
  else
    delete registry;
  registry = new std::vector<std::shared_ptr<Buffer>>;
  generation.fetch_add(1, std::memory_order_acq_rel);
  narrating = narrate;
  collected.clear();
  virtual_clock = scheduler().is_virtual();
  start_time = scheduler().elapsed();
  start_tick = tick();
  recording.store(true);
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

}  // namespace

namespace {

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

void start(bool narrate, bool children) {
  std::string dir;
  if (children) {
    std::string root = temp_root();
    remove_stale_dirs(root);
    std::string name = fmt::format("{}/concur-trace-{}-XXXXXX", root, ::getpid());
    if (::mkdtemp(name.data())) dir = name;
  }
  reset(narrate);
  record(Kind::kStart);  // the run's main thread: its row begins with the record
  std::lock_guard lk(registry_mutex);
  children_dir = dir;
  if (!dir.empty()) {
    ::setenv(kDirVariable, dir.c_str(), 1);
    ::setenv(kNarrateVariable, narrate ? "1" : "0", 1);
  }
}

std::vector<Event> stop() {
  record(Kind::kEnd);
  recording.store(false);
  std::vector<Event> events = take_all();
  std::string dir;
  {
    std::lock_guard lk(registry_mutex);
    narrating = false;
    dir.swap(children_dir);
    collected.clear();
  }
  if (dir.empty()) return events;
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
  std::lock_guard lk(registry_mutex);
  collected = std::move(found);
  return events;
}

std::vector<ProcessTrace> children() {
  std::lock_guard lk(registry_mutex);
  return std::move(collected);
}

void record(Kind kind, const WaitSite* site, std::string_view action, double value, bool ok,
            std::string_view object) {
  if (!on()) return;
  if (object.empty() && site) object = site->label();
  record_on(kind, site ? site->kind() : SiteKind::kSleep, object, action, value, ok);
}

namespace {
// Appends one event of the calling thread, or of the asyncio task `task` it runs.
void append(Kind kind, SiteKind site, std::string_view object, std::string_view action, double value, bool ok,
            std::string_view task) {
  // Acquire: what start() set up before it turned recording on (the clock's mode and origin)
  // is seen by every thread that records, whenever it was started.
  if (!recording.load(std::memory_order_acquire)) return;
  const ThreadState& me = current_thread_state();
  Buffer& b = my_buffer(me);
  std::uint64_t stamp = virtual_clock ? std::bit_cast<std::uint64_t>(scheduler().elapsed()) : tick();
  std::uint64_t seq = sequence.fetch_add(1, std::memory_order_relaxed);
  std::string_view who = task.empty() ? std::string_view(me.name) : task;
  {
    std::lock_guard lk(b.mutex);
    b.push(Raw{stamp, seq, value, b.intern(who), b.intern(object), b.intern(action), kind, site, ok, !task.empty()});
  }
  if (!narrating) return;
  // In a child process, its sentences say whose thread it is: "Process-1/MainThread".
  std::string told_who = child_name.empty() ? std::string(who) : child_name + "/" + std::string(who);
  Event e{scheduler().elapsed(), kind, &me, std::move(told_who), site, std::string(object), std::string(action),
          value, ok, b.thread_no};
  std::string told = narration(e);
  if (told.empty()) return;
  // Straight to the output: this may run inside a wait, where a scheduling point must not be.
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.write_out("    ~ " + told + '\n');
}
}  // namespace

void record_on(Kind kind, SiteKind site, std::string_view object, std::string_view action, double value, bool ok) {
  if (on()) append(kind, site, object, action, value, ok, {});
}

void record_task(Kind kind, std::string_view task, SiteKind site, std::string_view object, double value, bool ok) {
  if (on()) append(kind, site, object, {}, value, ok, task);
}

void begin_child(const std::string& process_name) {
  const char* dir = std::getenv(kDirVariable);
  if (!dir || !*dir) {
    recording.store(false);  // a forked child of a run that records only its own threads
    return;
  }
  const char* narrate = std::getenv(kNarrateVariable);
  reset(narrate && std::string(narrate) == "1", /*abandon=*/true);
  {
    std::lock_guard lk(registry_mutex);
    children_dir = dir;
    child_name = process_name;
  }
  record(Kind::kStart);
}

void end_child() {
  std::string dir, name;
  {
    std::lock_guard lk(registry_mutex);
    dir.swap(children_dir);
    name = child_name;
  }
  if (dir.empty() || !on()) return;
  record(Kind::kEnd);
  recording.store(false);
  std::vector<Event> events = take_all();
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

std::unique_lock<std::mutex> fork_guard() { return std::unique_lock<std::mutex>(registry_mutex); }

std::string held_by(const WaitSite& site) {
  ThreadState* holder = site.owner.load();
  return holder ? site.label() + " (held by " + holder->name + ")" : site.label();
}

std::string narration(const Event& e) {
  const std::string& who = e.thread_name;
  switch (e.kind) {
    case Kind::kStart: return who + " starts";
    case Kind::kEnd: return who + " ends";
    case Kind::kWait: return who + " " + why_waiting(e);
    case Kind::kWoken:
      if (!e.ok) return fmt::format("{} stops waiting for {}: the timeout passed, or the run stopped it", who, e.object);
      switch (e.site) {
        case SiteKind::kLock:
        case SiteKind::kRLock: return "";  // the hold that follows tells it
        case SiteKind::kSemaphore: return fmt::format("{} is let through by {}", who, e.object);
        case SiteKind::kEvent: return fmt::format("{} sees {} set", who, e.object);
        case SiteKind::kCondition: return fmt::format("{} is notified on {}", who, e.object);
        case SiteKind::kBarrier: return fmt::format("{} passes {}: everyone has arrived", who, e.object);
        case SiteKind::kThread: return fmt::format("{} sees {} finished", who, e.object);
        default: return fmt::format("{} goes on: {}", who, e.object);
      }
    case Kind::kSleep:
      return fmt::format("{} sleeps {} s", who,
                         e.value == static_cast<long long>(e.value) ? fmt::format("{:g}", e.value)
                                                                    : fmt::format("{:.2f}", e.value));
    case Kind::kAwake: return "";
    case Kind::kHold: return fmt::format("{} takes {}", who, e.object);
    case Kind::kRelease: return fmt::format("{} releases {}", who, e.object);
    case Kind::kInstant: return fmt::format("{} {} {}", who, e.action, e.object);
  }
  return "";
}

}  // namespace concur::trace
