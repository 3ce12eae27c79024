#include "cli/live.h"

#include <fmt/format.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <set>

#include "cli/terminal.h"
#include "core/output.h"
#include "core/runtime.h"
#include "core/seam.h"
#include "core/trace.h"
#include "core/trace_children.h"
#include "core/wait_table.h"

namespace concur::cli {

using trace::Event;
using trace::Kind;

namespace {

constexpr auto kFrame = std::chrono::milliseconds(50);  // at most 20 redraws a second
constexpr std::size_t kMaxRowName = 20;
constexpr std::size_t kShownItems = 5;  // a process Queue's or Pipe's items shown
const char* const kSaveCursor = "\x1b" "7";
const char* const kRestoreCursor = "\x1b" "8";

// A queue's waits are on "queue 1 (not empty)", its puts and gets on "queue 1": one object.
std::string object_name(SiteKind kind, const std::string& label) {
  if (kind != SiteKind::kQueue) return label;
  auto paren = label.rfind(" (");
  return paren == std::string::npos ? label : label.substr(0, paren);
}

std::string seconds_left_text(double s) { return fmt::format("{:.1f}", std::max(0.0, s)); }

// A row's note for a wait that ended without what it waited for: why, in a few words
// (--narrate's sentence, trace::why_it_stopped, says it at length).
std::string gave_up(const Event& e) {
  switch (e.woke) {
    case trace::Woke::kTimeout: return "gave up on " + e.object + ": timed out";
    case trace::Woke::kStopped: return "stopped while waiting for " + e.object;
    case trace::Woke::kUnwound: return "unwound after the report, never got " + e.object;
    case trace::Woke::kGot: break;
  }
  return "";
}

}  // namespace

// What the panel shows, replayed from the events as they come: one row per thread or task,
// the shared objects, the first wait-for cycle seen. Guarded by `mutex`.
struct LiveModel {
  struct Row {
    std::string name;
    long pid = 0;  // a child process's row: its pid (0: this process's)
    const ThreadState* thread = nullptr;  // for its colour (nullptr: an asyncio task)
    bool ended = false;
    double sleep_until = -1;  // sleeping until then (lecture seconds) when >= 0
    std::vector<std::pair<SiteKind, std::string>> waits;  // open waits, innermost last
    std::vector<std::string> holds;
    std::string note;  // why its last wait ended without what it waited for
  };
  struct Object {
    SiteKind kind;
    std::string name;
    std::string holder;  // a Lock's or RLock's
    std::vector<std::string> waiters;
    double value = 0;  // a semaphore's value, a queue's size
    bool has_value = false;
    std::string state;  // an Event's "set" or "clear"
    std::string next_items;  // a thread Queue's, as its last put or get left them
    // A process Queue or a Pipe: the items put or sent and not yet got or received, as far as
    // the events of this process and of its children (read as they come) tell, oldest first,
    // each with the identity of the end that sent it; and the gets or receives seen before
    // the put or send they took (a child's events come up to a frame late).
    bool carries = false;
    std::uint64_t id = 0;
    bool socket = false;  // a duplex Pipe: its two ends differ, and an end never receives its own
    std::deque<std::pair<std::uint64_t, std::string>> buffered;
    std::vector<std::uint64_t> early_takes;
  };

  std::mutex mutex;
  std::map<trace::ThreadKey, std::size_t> index;
  std::vector<Row> rows;
  std::vector<Object> objects;
  double last_t = 0;
  std::set<long> streamed;  // the child processes whose events come (trace::live_news)
  std::string cycle;  // "1st waits for fork 2 held by 2nd, ..." once seen

  Row& row_of(const Event& e) {
    auto [it, fresh] = index.try_emplace(trace::key_of(e), rows.size());
    if (fresh) rows.push_back(Row{.thread = e.task ? nullptr : e.thread});
    Row& r = rows[it->second];
    r.name = e.thread_name;
    return r;
  }
  Object& object_of(SiteKind kind, const std::string& label) {
    std::string name = object_name(kind, label);
    auto it = std::find_if(objects.begin(), objects.end(), [&](const Object& o) { return o.name == name; });
    if (it != objects.end()) return *it;
    return objects.emplace_back(Object{.kind = kind, .name = name});
  }
  // This process's object of that label, or nullptr.
  Object* find_object(SiteKind kind, const std::string& label) {
    std::string name = object_name(kind, label);
    auto it = std::find_if(objects.begin(), objects.end(),
                           [&](const Object& o) { return !o.carries && o.name == name; });
    return it == objects.end() ? nullptr : &*it;
  }
  // The process Queue or Pipe an item moved through: one per label and identity (a duplex
  // Pipe's ends differ: one per label).
  Object& carrier_of(const Event& e) {
    bool socket = (e.id >> 63) != 0;
    std::uint64_t id = socket ? 0 : e.id;
    auto it = std::find_if(objects.begin(), objects.end(),
                           [&](const Object& o) { return o.carries && o.name == e.object && o.id == id; });
    if (it != objects.end()) return *it;
    return objects.emplace_back(Object{.kind = e.site, .name = e.object, .carries = true, .id = id, .socket = socket});
  }
  // An item put or sent (`in`), or got or received, through a process Queue or a Pipe.
  void move_item(const Event& e, bool in) {
    Object& o = carrier_of(e);
    // Which end took it: a duplex Pipe's end takes what the other end sent
    auto takes = [&](std::uint64_t sender, std::uint64_t taker) { return !o.socket || sender != taker; };
    if (in) {
      auto early = std::find_if(o.early_takes.begin(), o.early_takes.end(),
                                [&](std::uint64_t taker) { return takes(e.id, taker); });
      if (early != o.early_takes.end()) o.early_takes.erase(early);
      else o.buffered.emplace_back(e.id, e.item);
      return;
    }
    auto item = std::find_if(o.buffered.begin(), o.buffered.end(), [&](const auto& b) { return takes(b.first, e.id); });
    if (item != o.buffered.end()) o.buffered.erase(item);
    else o.early_takes.push_back(e.id);
  }
  static bool shown(SiteKind kind) {
    return kind != SiteKind::kThread && kind != SiteKind::kFuture && kind != SiteKind::kSleep;
  }
  static bool is_lock(SiteKind kind) { return kind == SiteKind::kLock || kind == SiteKind::kRLock; }

  // The row of this process's live thread named `name`, or nullptr.
  Row* live_row(const std::string& name) {
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const Row& r) { return !r.ended && r.pid == 0 && r.name == name; });
    return it == rows.end() ? nullptr : &*it;
  }

  // After `start` parks on a lock: whether the waits close a cycle back to it (each waits for
  // a lock the next one holds); if so, and none was seen before, it is kept for the panel.
  void look_for_cycle(Row& start) {
    if (!cycle.empty()) return;
    std::string text;
    Row* at = &start;
    for (std::size_t step = 0; step < rows.size(); ++step) {
      if (at->waits.empty() || !is_lock(at->waits.back().first)) return;
      const std::string& lock = at->waits.back().second;
      std::string holder = object_of(at->waits.back().first, lock).holder;
      Row* next = holder.empty() ? nullptr : live_row(holder);
      if (!next) return;
      text += fmt::format("{}{} waits for {} held by {}", text.empty() ? "" : ", ", at->name, lock, holder);
      if (next == &start) {
        cycle = fmt::format("deadlock at {} s: {}", seconds_left_text(last_t), text);
        return;
      }
      at = next;
    }
  }

  // The events of a child process, read from its live file: its rows are named for it
  // ("Process-1", "Process-1/Thread-1"); only what its items did to process Queues and Pipes
  // reaches the objects (its other objects are its own, not this process's of that label).
  void apply_child(trace::ProcessTrace& p) {
    streamed.insert(p.pid);
    for (Event& e : p.events) {
      e.thread_name = e.thread_name == "MainThread" && !e.task ? p.name : p.name + "/" + e.thread_name;
      apply(e);
    }
  }
  // The rows of child processes that are gone without saying so (killed, crashed): ended.
  void end_gone_children() {
    std::map<long, bool> gone;
    for (Row& r : rows) {
      if (r.pid == 0 || r.ended) continue;
      auto [it, fresh] = gone.try_emplace(r.pid, false);
      if (fresh) it->second = ::kill(static_cast<pid_t>(r.pid), 0) != 0 && errno == ESRCH;
      if (!it->second) continue;
      r.ended = true;
      r.waits.clear();
      r.sleep_until = -1;
    }
  }

  void apply(const Event& e) {
    if (e.pid == 0) last_t = std::max(last_t, e.t);
    bool own = e.pid == 0;
    Row& r = row_of(e);
    r.pid = e.pid;
    switch (e.kind) {
      case Kind::kStart: r.ended = false; break;
      case Kind::kEnd:
        r.ended = true;
        r.waits.clear();
        r.sleep_until = -1;
        break;
      case Kind::kWait:
        r.waits.emplace_back(e.site, e.object);
        r.note.clear();
        if (!own) break;
        if (shown(e.site)) {
          Object& o = object_of(e.site, e.object);
          o.waiters.push_back(r.name);
          if (is_lock(e.site) && o.holder.empty()) o.holder = e.action;  // the holder as the wait saw it
        }
        if (is_lock(e.site)) look_for_cycle(r);
        break;
      case Kind::kWoken:
        if (!r.waits.empty()) r.waits.pop_back();
        if (own && shown(e.site)) {
          auto& waiters = object_of(e.site, e.object).waiters;
          if (auto it = std::find(waiters.begin(), waiters.end(), r.name); it != waiters.end()) waiters.erase(it);
        }
        if (!e.ok) r.note = gave_up(e);
        break;
      case Kind::kSleep:
        r.sleep_until = e.t + e.value;
        r.note.clear();
        break;
      case Kind::kAwake: r.sleep_until = -1; break;
      case Kind::kHold:
        r.holds.push_back(e.object);
        r.note.clear();
        if (own) object_of(e.site, e.object).holder = r.name;
        break;
      case Kind::kRelease: {
        // Its own hold, else whoever holds it (a Lock may be released by another thread).
        auto holds = [&](const Row& h) {
          return h.pid == e.pid && std::find(h.holds.begin(), h.holds.end(), e.object) != h.holds.end();
        };
        auto other = std::find_if(rows.begin(), rows.end(), holds);
        Row* holder = holds(r) ? &r : other != rows.end() ? &*other : nullptr;
        if (holder) holder->holds.erase(std::find(holder->holds.begin(), holder->holds.end(), e.object));
        if (own) object_of(e.site, e.object).holder.clear();
        break;
      }
      case Kind::kInstant:
        if (!e.item.empty()) {
          move_item(e, e.action.starts_with("puts") || e.action.starts_with("sends"));
        } else if (!own) {
          break;
        } else if (e.site == SiteKind::kSemaphore || e.site == SiteKind::kQueue) {
          Object& o = object_of(e.site, e.object);
          o.value = e.value;
          o.has_value = true;
          if (e.site == SiteKind::kQueue) o.next_items = e.next_items;
        } else if (e.site == SiteKind::kEvent && (e.action == "sets" || e.action == "clears")) {
          object_of(e.site, e.object).state = e.action == "sets" ? "set" : "clear";
        }
        break;
    }
  }

  // What row `r` is doing at lecture time `now`.
  std::string state_of(const Row& r, double now) {
    std::string s;
    if (r.ended) return r.note.empty() ? "ended" : "ended (" + r.note + ")";
    if (!r.waits.empty()) {
      const auto& [kind, what] = r.waits.back();
      Object* lock = is_lock(kind) && r.pid == 0 ? find_object(kind, what) : nullptr;
      std::string holder = lock ? lock->holder : "";
      switch (kind) {
        case SiteKind::kLock:
        case SiteKind::kRLock: s = "waiting for " + what + (holder.empty() ? "" : " (held by " + holder + ")"); break;
        case SiteKind::kSemaphore: s = "waiting for " + what + " (it is 0)"; break;
        case SiteKind::kEvent: s = "waiting for " + what + " to be set"; break;
        case SiteKind::kQueue: s = "waiting until " + what; break;
        case SiteKind::kThread: s = "waiting for " + what + " to finish"; break;
        case SiteKind::kCondition: s = "waiting on " + what; break;
        case SiteKind::kBarrier: s = "waiting at " + what; break;
        default: s = "waiting for " + what; break;
      }
    } else if (r.sleep_until >= 0) {
      s = "sleeping " + seconds_left_text(r.sleep_until - now) + " s left";
    } else {
      s = "running";
    }
    for (std::size_t i = 0; i < r.holds.size(); ++i) s += (i == 0 ? ", holding " : ", ") + r.holds[i];
    if (!r.note.empty()) s += "; " + r.note;
    return s;
  }

  // `o` as the panel tells it; `name`: what to call it (numbered when several share a label).
  std::string describe(const Object& o, const std::string& name) {
    std::string s = name;
    if (o.carries) {
      // "Queue: 2 items ['a', 'b']", "pipe: 1 message ['hello']": the next few, oldest first
      std::size_t n = o.buffered.size();
      bool queue = o.kind == SiteKind::kQueue;
      s += fmt::format(": {} {}{}", n, queue ? "item" : "message", n == 1 ? "" : "s");
      if (n == 0) return s;
      std::string items;
      for (std::size_t i = 0; i < n && i < kShownItems; ++i) items += (i ? ", " : "") + o.buffered[i].second;
      return s + " [" + items + (n > kShownItems ? ", ...]" : "]");
    }
    switch (o.kind) {
      case SiteKind::kLock:
      case SiteKind::kRLock: s += o.holder.empty() ? " free" : " held by " + o.holder; break;
      case SiteKind::kSemaphore: s += o.has_value ? fmt::format(" = {:g}", o.value) : ""; break;
      case SiteKind::kQueue:
        s += o.has_value ? fmt::format(": {:g} item{}", o.value, o.value == 1 ? "" : "s") : "";
        if (o.has_value && o.value > 0 && !o.next_items.empty()) s += " [" + o.next_items + "]";
        break;
      case SiteKind::kEvent: s += o.state.empty() ? "" : " " + o.state; break;
      default: break;
    }
    if (!o.waiters.empty()) s += fmt::format(" ({} waiting)", o.waiters.size());
    return s;
  }

  // `items` joined by `sep` into lines of at most `width` columns, each line led by one space
  // (three for a line that goes on, after one that ends with the separator's mark), at most
  // `limit` lines (0: no limit; the items beyond are left out).
  static std::vector<std::string> pack(const std::vector<std::string>& items, const std::string& sep,
                                       std::size_t width, std::size_t limit) {
    std::string mark = sep.substr(0, sep.find_last_not_of(' ') + 1);  // ", " -> ",": kept where a line breaks
    std::vector<std::string> out;
    std::string line;
    for (const std::string& item : items) {
      std::string next = line.empty() ? (out.empty() ? " " : "   ") + item : line + sep + item;
      if (!line.empty() && display_columns(next) > width) {
        out.push_back(first_columns(line + mark, width));
        next = "   " + item;
      }
      line = next;
    }
    if (!line.empty()) out.push_back(first_columns(line, width));
    if (limit > 0 && out.size() > limit) out.resize(limit);
    return out;
  }
  // The cycle's parts, each to break a line after: "deadlock at 2.0 s: 1st waits for ...,".
  std::vector<std::string> split_cycle() const {
    std::vector<std::string> parts;
    for (std::size_t from = 0; from < cycle.size();) {
      std::size_t comma = cycle.find(", ", from);
      std::size_t end = comma == std::string::npos ? cycle.size() : comma + 1;
      parts.push_back(cycle.substr(from, end - from));
      from = comma == std::string::npos ? cycle.size() : comma + 2;
    }
    return parts;
  }

  // The panel's lines for `width` columns, at most `height` of them (0: all), at lecture
  // time `now`. Thread names coloured with `colour` (in_colour_of, with the output mutex held).
  std::vector<std::string> render(const std::string& title, double now, double length, std::size_t width,
                                  std::size_t height, bool colour, const std::vector<wait_table::Seen>& others) {
    width = std::max<std::size_t>(width, 2) - 1;  // never the last column: no wrap, ever
    std::vector<std::string> lines;
    // The header: the demo on the left, the lecture clock on the right (against the run's
    // length, when known), dashes between
    // (done/total, "lecture clock 6.5/30 s", where it fits whole: else the clock alone)
    std::string left = "-- " + title + " ";
    std::string right = " lecture clock " + seconds_left_text(now) + " s --";
    std::string with_length =
        fmt::format(" lecture clock {}/{:g} s --", seconds_left_text(std::min(now, length)), length);
    if (length > 0 && display_columns(left) + display_columns(with_length) <= width) right = with_length;
    if (display_columns(left) + display_columns(right) > width) left = first_columns(left, width > display_columns(right) ? width - display_columns(right) : 0);
    std::string header = left + std::string(width - std::min(width, display_columns(left) + display_columns(right)), '-') + right;
    lines.push_back(first_columns(header, width));

    // The rows: the live threads and tasks, and those that ended with a note (why a wait of
    // theirs ended without what it waited for); the others that ended, named on one line
    std::size_t name_w = 4;
    for (const Row& r : rows) name_w = std::max(name_w, display_columns(r.name));
    name_w = std::min({name_w, kMaxRowName, width / 3});
    std::vector<std::string> row_lines, ended, described;
    for (const Row& r : rows) {
      if (r.ended && r.note.empty()) {
        ended.push_back(r.name);
        continue;
      }
      std::string name = first_columns(r.name, name_w);
      name += std::string(name_w - display_columns(name), ' ');
      std::size_t state_w = width > name_w + 3 ? width - name_w - 3 : 0;
      std::string shown_name = colour && r.thread ? in_colour_of(r.thread, name) : name;
      row_lines.push_back(" " + shown_name + "  " + first_columns(state_of(r, now), state_w));
    }
    // Then the threads of child processes, as the run's wait table shows them
    for (const wait_table::Seen& o : others) {
      if (streamed.contains(o.pid)) continue;  // its own events give its rows
      std::string who = o.process.empty() ? fmt::format("pid {}", o.pid) : o.process;
      if (o.thread != "MainThread") who += "/" + o.thread;
      std::string name = first_columns(who, name_w);
      name += std::string(name_w - display_columns(name), ' ');
      std::string state = !o.waiting ? "running" : o.kind == SiteKind::kSleep ? "sleeping" : "waiting for " + o.site;
      std::size_t state_w = width > name_w + 3 ? width - name_w - 3 : 0;
      row_lines.push_back(" " + name + "  " + first_columns(state, state_w));
    }
    if (!ended.empty()) ended.front() = "ended: " + ended.front();
    // (process Queues and Pipes of one label numbered, in the order first seen, when several)
    std::map<std::string, int> carriers, numbered;
    for (const Object& o : objects)
      if (o.carries) ++carriers[o.name];
    for (const Object& o : objects) {
      if (!o.carries && !shown(o.kind)) continue;
      // (a queue or pipe whose events have told nothing yet but a wait that ended: nothing to say)
      bool silent = (o.kind == SiteKind::kQueue || o.kind == SiteKind::kPipe) && !o.has_value && o.waiters.empty();
      if (!o.carries && silent) continue;
      std::string name = o.carries && carriers[o.name] > 1 ? fmt::format("{} {}", o.name, ++numbered[o.name]) : o.name;
      described.push_back(describe(o, name));
    }
    // Packed over lines: all of them in the last state; while live, the ended on one line at
    // most, the objects on two, the cycle on three
    std::vector<std::string> ended_lines = pack(ended, ", ", width, height == 0 ? 0 : 1);
    std::vector<std::string> object_lines = pack(described, ";  ", width, height == 0 ? 0 : 2);
    std::vector<std::string> cycle_lines = pack(split_cycle(), " ", width, height == 0 ? 0 : 3);
    // Within `height`: the header, the objects and the cycle first, then as many rows as fit
    std::size_t fixed = 1 + object_lines.size() + cycle_lines.size();
    std::size_t room = height == 0 ? row_lines.size() + ended_lines.size() : height > fixed ? height - fixed : 0;
    if (row_lines.size() + ended_lines.size() > room) ended_lines.clear();  // the live ones first
    if (row_lines.size() > room) {
      std::size_t more = row_lines.size() - (room > 0 ? room - 1 : 0);
      row_lines.resize(room > 0 ? room - 1 : 0);
      if (room > 0) row_lines.push_back(first_columns(fmt::format(" ... and {} more", more), width));
    }
    for (auto* part : {&row_lines, &ended_lines, &object_lines, &cycle_lines})
      lines.insert(lines.end(), part->begin(), part->end());
    if (height > 0 && lines.size() > height) lines.resize(height);
    return lines;
  }
};

namespace {

// The one LiveView drawing now, for the tracer's listener (a plain function) and for
// restore_terminal_now. The model is reached only under g_mutex and only in the process that
// made it (a forked child inherits the pointer, not the view).
std::mutex g_mutex;
LiveModel* g_model = nullptr;
std::atomic<pid_t> g_pid{0};
std::atomic<bool> g_drawing{false};

void listen(const Event& e) {
  if (::getpid() != g_pid.load(std::memory_order_relaxed)) return;
  std::lock_guard lk(g_mutex);
  if (!g_model) return;
  std::lock_guard model(g_model->mutex);
  g_model->apply(e);
}

}  // namespace

bool live_possible() { return ::isatty(STDOUT_FILENO) == 1; }

LiveView::LiveView(Options options) : options_(std::move(options)), model_(std::make_unique<LiveModel>()) {
  clock_origin_ = scheduler().elapsed();
  {
    std::lock_guard lk(g_mutex);
    g_model = model_.get();
    g_pid.store(::getpid());
  }
  trace::set_listener(&listen);
  g_drawing.store(true);
  {
    std::lock_guard out(runtime().out_mutex());
    if (options_.hide_cursor) runtime().write_out("\x1b[?25l");
    draw(true);
  }
  drawer_ = std::thread([this] { draw_loop(); });
}

void LiveView::draw_loop() {
  std::unique_lock lk(mutex_);
  while (!stopping_) {
    lk.unlock();
    {
      std::lock_guard out(runtime().out_mutex());
      draw(false);
    }
    lk.lock();
    cv_.wait_for(lk, kFrame, [&] { return stopping_; });
  }
}

void LiveView::draw(bool force) {
  auto [columns, rows] = terminal_size();
  double now;
  std::vector<std::string> lines;
  std::vector<wait_table::Seen> others = wait_table::look_at_others();
  std::vector<trace::ProcessTrace> news = trace::live_news();  // the children's events since the last frame
  {
    std::lock_guard model(model_->mutex);
    for (trace::ProcessTrace& p : news) model_->apply_child(p);
    model_->end_gone_children();
    now = clock_now();
    // At most half the terminal, so that the lecture's lines keep the other half
    std::size_t cap = static_cast<std::size_t>(std::max(1, rows / 2));
    lines = model_->render(options_.title, now, options_.length, static_cast<std::size_t>(columns), cap,
                           runtime().options().color, others);
  }
  bool resized = columns != columns_ || rows != rows_;
  if (!force && !resized && lines == shown_) return;
  int height = static_cast<int>(lines.size());
  if (rows - height < 1) return;  // a terminal of one or two rows: no room for a panel
  std::string frame = kSaveCursor;
  if (resized && rows_ != 0) {
    // A new size: the scroll region for it, the old panel's rows cleared
    height = std::max(height, std::min(height_, rows / 2));
    frame += fmt::format("\x1b[1;{}r{}{}\x1b[{};1H\x1b[J", rows - height, kRestoreCursor, kSaveCursor,
                         std::max(1, rows - height + 1));
  } else if (height > height_) {
    // More rows: scroll the lecture's lines up to make room, then narrow the region to them
    int more = height - height_;
    frame += fmt::format("\x1b[{};1H{}\x1b[1;{}r{}\x1b[{}A", rows - height_, std::string(more, '\n'), rows - height,
                         kRestoreCursor, more);
    frame += kSaveCursor;
  } else {
    height = height_;  // fewer lines than rows: the panel keeps its height, blank rows below
  }
  for (int i = 0; i < height; ++i) {
    frame += fmt::format("\x1b[{};1H\x1b[2K", rows - height + 1 + i);
    if (i < static_cast<int>(lines.size())) frame += lines[i];
  }
  frame += kRestoreCursor;
  runtime().write_out(frame);
  columns_ = columns;
  rows_ = rows;
  height_ = height;
  shown_ = std::move(lines);
}

void LiveView::stop() {
  {
    std::lock_guard lk(mutex_);
    if (stopped_) return;
    stopped_ = stopping_ = true;
  }
  cv_.notify_all();
  drawer_.join();
  trace::set_listener(nullptr);
  {
    // The panel as the run left it, then no more events
    std::lock_guard out(runtime().out_mutex());
    draw(false);
  }
  std::lock_guard lk(g_mutex);
  g_model = nullptr;
}

LiveView::~LiveView() {
  stop();
  int columns = terminal_size().first;
  std::lock_guard out(runtime().out_mutex());
  std::vector<std::string> last;
  {
    std::lock_guard model(model_->mutex);
    // (the children have ended by now: their rows are gone with them)
    last = model_->render(options_.title, clock_now(), options_.length, static_cast<std::size_t>(columns), 0,
                          runtime().options().color, {});
  }
  // The whole screen scrolls again (DECSTBM homes the cursor: put it back), the panel's rows
  // are cleared, and its last state is printed once, in full, below the output
  std::string text = fmt::format("{}\x1b[r{}", kSaveCursor, kRestoreCursor);
  if (height_ > 0) text += fmt::format("{}\x1b[{};1H\x1b[J{}", kSaveCursor, rows_ - height_ + 1, kRestoreCursor);
  for (const std::string& line : last) text += line + "\n";
  text += "\x1b[?25h";
  g_drawing.store(false);
  runtime().write_out(text);
}

double LiveView::clock_now() const {
  if (options_.deterministic) return model_->last_t;
  return clock_origin_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start_).count() / options_.time_scale;
}

void restore_terminal_now() {
  if (!g_drawing.load()) return;
  static const char kRestore[] = "\x1b" "7\x1b[r\x1b" "8\x1b[?25h\n";
  [[maybe_unused]] ssize_t n = ::write(STDOUT_FILENO, kRestore, sizeof kRestore - 1);
}

}  // namespace concur::cli
