#include "core/wait_table.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string_view>

#include "core/output.h"
#include "core/runtime.h"

namespace concur::wait_table {

std::string what_it_waits(SiteKind kind, const std::string& site);  // below

namespace {

constexpr int kRows = 256;
constexpr int kText = 48;

enum State : int { kAwake = 0, kTimed = 1, kForever = 2 };

// A short string in shared memory, read while its writer may write: atomic words, eight
// characters each (a park writes its site's label: few stores, even under ThreadSanitizer).
struct Text {
  static constexpr int kWords = kText / 8;
  std::atomic<std::uint64_t> w[kWords];
  void set(std::string_view s) {
    char buf[kText] = {};
    std::memcpy(buf, s.data(), std::min<std::size_t>(s.size(), kText - 1));
    for (int i = 0; i < kWords; ++i) {
      std::uint64_t word;
      std::memcpy(&word, buf + 8 * i, 8);
      w[i].store(word, std::memory_order_relaxed);
      if (std::memchr(buf + 8 * i, '\0', 8)) break;  // the rest is never read
    }
  }
  std::string get() const {
    char buf[kText + 1] = {};
    for (int i = 0; i < kWords; ++i) {
      std::uint64_t word = w[i].load(std::memory_order_relaxed);
      std::memcpy(buf + 8 * i, &word, 8);
      if (std::memchr(buf + 8 * i, '\0', 8)) break;
    }
    return std::string(buf);
  }
};

struct Row {
  std::atomic<int> pid;  // 0: free
  std::atomic<int> tid;
  std::atomic<int> state;
  std::atomic<int> stop;
  std::atomic<int> kind;
  std::atomic<unsigned> version;
  Text process, thread, site;
};

struct Table {
  pid_t creator;
  std::atomic<int> awake;    // rows not parked for ever, plus hidden children
  std::atomic<int> used;     // rows [0, used) have been claimed at some point
  std::atomic<int> reports;  // stuck reports made in this run
  std::atomic<int> reporting;  // 1 while one process writes a report
  Row rows[kRows];
};

// This process's view.
Table* table = nullptr;
bool keeping = false;
std::string process_name;         // "" in the run's first process
std::atomic<ThreadState*> local[kRows];  // rows of this process: their threads (null: none)

void on_wake_signal(int) {}  // only to interrupt the seam's ppoll

Row* row_of(const ThreadState& t) {
  if (!keeping || !table || t.row < 0) return nullptr;
  Row& r = table->rows[t.row];
  return r.pid.load() == ::getpid() ? &r : nullptr;
}

bool process_alive(pid_t pid) {
  if (pid == ::getpid()) return true;
  if (::kill(pid, 0) != 0) return false;
  // A zombie has ended: its rows wait for nothing any more.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  FILE* f = std::fopen(path, "r");
  if (!f) return false;
  char buf[256] = {};
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string_view stat(buf, n);
  auto close = stat.rfind(')');
  return close == std::string_view::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

// Reports the stuck run and stops the threads at the ends of its chains. False if there is
// nothing new to report (every end already stopped by an earlier report).
bool report() {
  std::vector<std::string> out{"Deadlock detected: every thread of every process waits, and none is left running to wake them."};
  std::vector<int> ends;
  int used = table->used.load();
  for (int i = 0; i < used; ++i) {
    Row& r = table->rows[i];
    pid_t pid = r.pid.load();
    if (pid == 0 || r.state.load() != kForever || !process_alive(pid)) continue;
    auto kind = static_cast<SiteKind>(r.kind.load());
    std::string process = r.process.get(), who = r.thread.get();
    if (!process.empty()) who = process + "/" + who;
    std::string line = "  " + who + " " + what_it_waits(kind, r.site.get());
    if (kind != SiteKind::kThread) {
      line += ", which no running thread will change";
      if (r.stop.load() == 0) ends.push_back(i);
    }
    out.push_back(std::move(line));
  }
  if (ends.empty()) return false;
  for (int i : ends) table->rows[i].stop.store(1);
  for (const auto& line : out) print(line);
  table->reports.fetch_add(1);
  for (int i : ends) {
    Row& r = table->rows[i];
    if (r.pid.load() == ::getpid()) {
      if (ThreadState* t = local[i].load()) stop_thread(*t, 1);
    } else if (int tid = r.tid.load(); tid > 0) {
      ::syscall(SYS_tgkill, r.pid.load(), tid, wake_signal());
    }
  }
  return true;
}

// Gives a row back: it no longer counts as awake (a row parked for ever no longer counted).
void free_row(Row& r) {
  if (r.state.load() != kForever) table->awake.fetch_sub(1);
  r.state.store(kAwake);
  r.version.fetch_add(1);
  r.pid.store(0);
}

std::vector<unsigned> versions() {
  std::vector<unsigned> v;
  int used = table->used.load();
  v.reserve(static_cast<std::size_t>(used));
  for (int i = 0; i < used; ++i) v.push_back(table->rows[i].version.load());
  return v;
}

}  // namespace

std::string what_it_waits(SiteKind kind, const std::string& site) {
  switch (kind) {
    case SiteKind::kThread: return "waits for " + site + " to finish";
    case SiteKind::kQueue: return "waits until " + site;
    case SiteKind::kEvent: return "waits for " + site + " to be set";
    case SiteKind::kCondition: return "waits on " + site;
    case SiteKind::kBarrier: return "waits at " + site;
    default: return "waits for " + site;
  }
}

int wake_signal() { return SIGUSR2; }

void begin_run(ThreadState& main, bool keep) {
  main.row = -1;
  keeping = keep;
  if (!keep) return;
  // Interrupting a kernel wait from another process: SIGUSR2 does nothing but make the
  // seam's ppoll return; blocked everywhere else (threads started from here inherit that).
  struct sigaction sa {};
  sa.sa_handler = on_wake_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(wake_signal(), &sa, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, wake_signal());
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (table && table->creator != ::getpid()) {
    // A forked child: the parent's table, the parent's rows; ours come as we register.
    for (auto& l : local) l.store(nullptr);
  } else {
    if (!table) {
      void* mem = ::mmap(nullptr, sizeof(Table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
      if (mem == MAP_FAILED) {
        keeping = false;  // no view across processes: runs still work, stuck ones hang as before
        return;
      }
      table = static_cast<Table*>(mem);
    }
    new (table) Table();
    table->creator = ::getpid();
    process_name.clear();
    for (auto& l : local) l.store(nullptr);
  }
  add(main);
}

void add(ThreadState& t) {
  if (!keeping || !table) return;
  pid_t me = ::getpid();
  for (int i = 0; i < kRows; ++i) {
    Row& r = table->rows[i];
    int free = 0;
    if (!r.pid.compare_exchange_strong(free, me)) continue;
    r.tid.store(0);
    r.stop.store(0);
    r.state.store(kAwake);
    r.thread.set(t.name);
    r.process.set(process_name);
    r.site.set("");
    r.version.fetch_add(1);
    table->awake.fetch_add(1);
    int used = table->used.load();
    while (used < i + 1 && !table->used.compare_exchange_weak(used, i + 1)) {
    }
    local[i].store(&t);
    t.row = i;
    return;
  }
  // No free row: this thread is not seen, so the run must never be called stuck.
  table->awake.fetch_add(1);
}

void remove(ThreadState& t) {
  Row* r = row_of(t);
  if (!r) return;
  local[t.row].store(nullptr);
  free_row(*r);
  t.row = -1;
}

void name_process(const std::string& name) {
  process_name = name;
  if (!keeping || !table) return;
  for (int i = 0; i < kRows; ++i)
    if (local[i].load() && table->rows[i].pid.load() == ::getpid()) table->rows[i].process.set(name);
}

void parked(ThreadState& t, const WaitSite& site, bool forever) {
  Row* r = row_of(t);
  if (!r) return;
  r->tid.store(static_cast<int>(::gettid()));
  r->kind.store(static_cast<int>(site.kind()));
  r->site.set(site.label());
  r->state.store(forever ? kForever : kTimed);
  r->version.fetch_add(1);
  if (forever) table->awake.fetch_sub(1);
}

void unparked(ThreadState& t, bool forever) {
  Row* r = row_of(t);
  if (!r) return;
  if (forever) table->awake.fetch_add(1);
  r->state.store(kAwake);
  r->version.fetch_add(1);
}

void hide(int delta) {
  if (keeping && table) table->awake.fetch_add(delta);
}

void forget(pid_t pid) {
  if (!keeping || !table || pid <= 0) return;
  int used = table->used.load();
  for (int i = 0; i < used; ++i) {
    Row& r = table->rows[i];
    if (r.pid.load() == pid) free_row(r);
  }
}

bool stop_requested(const ThreadState& t) {
  Row* r = row_of(t);
  return r && r->stop.load() != 0;
}

bool reported() { return keeping && table && table->reports.load() > 0; }

std::vector<Seen> look_at_others() {
  std::vector<Seen> seen;
  if (!keeping || !table) return seen;
  pid_t me = ::getpid();
  int used = table->used.load();
  for (int i = 0; i < used && i < kRows; ++i) {
    const Row& r = table->rows[i];
    int pid = r.pid.load();
    if (pid == 0 || pid == me) continue;
    int state = r.state.load();
    seen.push_back({pid, r.process.get(), r.thread.get(), static_cast<SiteKind>(r.kind.load()), r.site.get(),
                    state != kAwake});
  }
  return seen;
}

std::optional<SteadyClock::time_point> Watch::arm(ThreadState& me) {
  due_.reset();
  if (!row_of(me) || table->awake.load() != 0) return due_;
  versions_ = versions();
  due_ = SteadyClock::now() + kConfirm;
  return due_;
}

bool Watch::check(ThreadState& me) {
  due_.reset();
  if (!row_of(me) || table->awake.load() != 0) return false;
  std::vector<unsigned> now = versions();
  if (now != versions_) {
    // Someone woke and parked again meanwhile: look once more, later.
    versions_ = std::move(now);
    due_ = SteadyClock::now() + kConfirm;
    return false;
  }
  // One report at a time across the run's processes.
  int free = 0;
  if (!table->reporting.compare_exchange_strong(free, 1)) return false;
  bool made = report();
  table->reporting.store(0);
  return made;
}

}  // namespace concur::wait_table
