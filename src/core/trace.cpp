#include "core/trace.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "core/narration.h"
#include "core/runtime.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace concur::trace {

namespace {

constexpr std::uint32_t kNone = 0xffffffff;

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
  Woke woke;
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
std::atomic<Listener> listener{nullptr};

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
std::string child_name;  // in a child that records: its process name (restart_in_child)
Buffer& my_buffer(const ThreadState& me) {
  std::uint64_t g = generation.load(std::memory_order_acquire);
  auto* mine = static_cast<Buffer*>(me.trace_buffer.get());
  if (mine && mine->generation == g) return *mine;
  auto b = std::make_shared<Buffer>();
  b->generation = g;
  b->thread = &me;
  {
    std::lock_guard lk(registry_mutex);
    b->thread_no = static_cast<int>(registry->size()) + 1;
    registry->push_back(b);
  }
  me.trace_buffer = b;
  return *b;
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
              b->thread_no, 0, r.task, r.woke};
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
  if (abandon) {
    abandoned->push_back(registry);
    listener.store(nullptr);  // the parent's: nothing of it runs in this process
  } else {
    delete registry;
  }
  registry = new std::vector<std::shared_ptr<Buffer>>;
  generation.fetch_add(1, std::memory_order_acq_rel);
  narrating = narrate;
  virtual_clock = scheduler().is_virtual();
  start_time = scheduler().elapsed();
  start_tick = tick();
  recording.store(true);
}

}  // namespace

void start(bool narrate) {
  reset(narrate);
  record(Kind::kStart);  // the run's main thread: its row begins with the record
}

std::vector<Event> stop() {
  record(Kind::kEnd);
  recording.store(false);
  std::vector<Event> events = take_all();
  std::lock_guard lk(registry_mutex);
  narrating = false;
  return events;
}

void restart_in_child(bool narrate, const std::string& process_name) {
  reset(narrate, /*abandon=*/true);
  {
    std::lock_guard lk(registry_mutex);
    child_name = process_name;
  }
  record(Kind::kStart);
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
            std::string_view task, Woke woke = Woke::kGot, Told* told_too = nullptr) {
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
    b.push(Raw{stamp, seq, value, b.intern(who), b.intern(object), b.intern(action), kind, site, ok, !task.empty(), woke});
  }
  Listener told_to = listener.load(std::memory_order_acquire);
  if (!narrating && !told_to) return;
  Event e{scheduler().elapsed(), kind, &me, std::string(who), site, std::string(object), std::string(action),
          value, ok, b.thread_no, 0, !task.empty(), woke};
  if (told_too) {
    e.next_items = std::move(told_too->next_items);
    e.item = std::move(told_too->item);
    e.id = told_too->id;
  }
  if (told_to) told_to(e);
  if (!narrating) return;
  // In a child process, its sentences say whose thread it is: "Process-1/MainThread".
  if (!child_name.empty()) e.thread_name = child_name + "/" + e.thread_name;
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

void record_woken(const WaitSite& site, Woke why) {
  if (on()) append(Kind::kWoken, site.kind(), site.label(), {}, 0, why == Woke::kGot, {}, why);
}

bool listening() { return listener.load(std::memory_order_relaxed) != nullptr; }

namespace {
// `s` cut to at most `bytes` bytes at a code point's start, "..." marking the cut: an item
// may be a megabyte (mpqueue's 'X' * 1000000), and a panel shows a few dozen columns of it.
void cut_to(std::string& s, std::size_t bytes) {
  if (s.size() <= bytes) return;
  std::size_t at = bytes - 3;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  s.resize(at);
  s += "...";
}
}  // namespace

void record_told(SiteKind site, std::string_view object, std::string_view action, double value, Told told) {
  if (!on()) return;
  cut_to(told.item, 60);
  cut_to(told.next_items, 200);
  append(Kind::kInstant, site, object, action, value, true, {}, Woke::kGot, &told);
}

std::uint64_t identity_of(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_ino) | (S_ISSOCK(st.st_mode) ? std::uint64_t{1} << 63 : 0);
}

void set_listener(Listener l) { listener.store(l, std::memory_order_release); }

std::unique_lock<std::mutex> fork_guard() { return std::unique_lock<std::mutex>(registry_mutex); }

}  // namespace concur::trace
