#include "cli/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "cli/terminal.h"

namespace concur::cli {

namespace {

using trace::Event;
using trace::Kind;

constexpr std::size_t kMaxName = 20;
constexpr std::size_t kMaxListed = 6;  // sites of one kind the legend names
constexpr int kMinWidth = 24;
constexpr const char* kReset = "\x1b[0m";

// What a cell shows, lowest first: a cell shows the highest rank found in its time slice.
enum Rank { kAbsent, kSleeping, kRunning, kHolding, kWaiting };

struct Cell {
  Rank rank = kAbsent;
  char glyph = ' ';
};

// The sites waited on, by kind in order of first wait.
using Waited = std::vector<std::pair<SiteKind, std::vector<std::string>>>;

// One thread's row, and its state while the events are replayed.
struct Row {
  std::string name;
  bool seen = false, alive = false;
  double first = 0, since = 0;     // when it appeared; when its current state began
  std::vector<SiteKind> waits;     // open waits, innermost last
  std::vector<std::string> holds;  // locks it holds
  int sleeps = 0;
  std::vector<Cell> cells;
};

char wait_letter(SiteKind kind) {
  switch (kind) {
    case SiteKind::kLock: return 'L';
    case SiteKind::kRLock: return 'R';
    case SiteKind::kSemaphore: return 'S';
    case SiteKind::kEvent: return 'E';
    case SiteKind::kCondition: return 'C';
    case SiteKind::kBarrier: return 'B';
    case SiteKind::kQueue: return 'Q';
    case SiteKind::kFuture: return 'F';
    case SiteKind::kThread: return 'J';
    case SiteKind::kSleep: return '.';
    case SiteKind::kPipe: return 'P';
  }
  return '?';
}

// ANSI colours by rank: none, dim, green, bold yellow, bold red.
const char* color_of(Rank rank) {
  static const char* const kColors[] = {"", "\x1b[2m", "\x1b[32m", "\x1b[1;33m", "\x1b[1;31m"};
  return kColors[rank];
}

// Appends `item` to `list` unless it is there already.
void add_once(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// `text` coloured as `rank` is, when `color`.
std::string paint_as(Rank rank, const std::string& text, bool color) {
  return color ? color_of(rank) + text + kReset : text;
}

// Lecture seconds for labels: "12.0", "0.25".
std::string secs(double x) { return x >= 1 ? fmt::format("{:.1f}", x) : fmt::format("{:.2g}", x); }

// Where column `n` of `s` begins, as a byte index (s.size() when `s` is narrower); colour
// escapes take no columns.
std::size_t byte_at_column(const std::string& s, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && s[i] != 'm') ++i;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == n) {
      return i;
    }
  }
  return s.size();
}

// Appends `items` separated by `sep` as lines of at most `width` columns, breaking between
// items; continuation lines are indented by two spaces. A line that breaks keeps the
// separator's mark (the ',' of ", ") at its end, so a list reads the same however it wraps;
// room for it is kept on every line that has items after it. An item too wide for a line of
// its own breaks at its spaces, and only a single word too wide is cut.
void put_items(std::string& out, const std::vector<std::string>& items, const std::string& sep, std::size_t width) {
  std::string mark = sep.substr(0, sep.find_last_not_of(' ') + 1);  // ", " -> ",", "   " -> ""
  std::string line;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::size_t room = i + 1 < items.size() ? width - std::min(width, display_columns(mark)) : width;
    std::string next = line.empty() ? items[i] : line + sep + items[i];
    if (!line.empty() && display_columns(next) > room) {
      out += line + mark + "\n";
      next = "  " + items[i];
    }
    while (display_columns(next) > room) {
      std::size_t end = byte_at_column(next, room), lead = next.find_first_not_of(' ');
      std::size_t space = next.rfind(' ', end);
      if (space == std::string::npos || space <= lead) {  // one word too wide: cut
        next.resize(end);
        break;
      }
      out += next.substr(0, space) + "\n";
      next = "  " + next.substr(space + 1);
    }
    line = next;
  }
  if (!line.empty()) out += line + "\n";
}

// A row: the name padded or cut to `name_w`, " |", its cells, "|" (a colour escape only where the state changes).
std::string draw_row(const Row& r, std::size_t name_w, bool color) {
  std::string name = first_columns(r.name, name_w);
  std::string line = name + std::string(name_w - display_columns(name), ' ') + " |";
  for (std::size_t c = 0; c < r.cells.size(); ++c) {
    bool change = c == 0 || r.cells[c].rank != r.cells[c - 1].rank;
    if (color && change && c > 0 && r.cells[c - 1].rank != kAbsent) line += kReset;
    if (color && change) line += color_of(r.cells[c].rank);
    line += r.cells[c].glyph;
  }
  if (color && r.cells.back().rank != kAbsent) line += kReset;
  return line + "|\n";
}

// The axis under the rows: 0 under the first column, the middle, `end` s at the closing bar.
std::string draw_axis(std::size_t name_w, int ncols, double end) {
  std::string axis(ncols, '-');
  if (ncols >= 3) axis[ncols / 2] = '+';
  std::string labels(name_w + 3 + ncols, ' ');
  std::string last = secs(end) + " s", mid = secs(end / 2);
  std::size_t last_at = labels.size() - last.size(), mid_at = name_w + 2 + ncols / 2 - mid.size() / 2;
  labels.replace(last_at, last.size(), last);
  if (last_at > name_w + 3) labels[name_w + 2] = '0';
  if (ncols >= 3 && mid_at > name_w + 4 && mid_at + mid.size() + 1 < last_at) labels.replace(mid_at, mid.size(), mid);
  return std::string(name_w, ' ') + " +" + axis + "+\n" + labels.substr(0, labels.find_last_not_of(' ') + 1) + "\n";
}

// The legend: the glyphs, then what was waited for, by letter in order of first wait
// ("S semaphore 1; L fork 2, fork 4 (lock); J 1st, 2nd to finish"), then the locks held.
std::string draw_legend(const Waited& waited, std::vector<std::string> held, int width, bool color) {
  std::string letters;
  std::vector<std::string> items;  // one per site, so that lines break between sites
  for (const auto& [kind, objects] : waited) {
    std::string letter(1, wait_letter(kind)), kind_word = kind_name(kind);
    letters += (letters.empty() ? "" : ",") + letter;
    bool named = std::all_of(objects.begin(), objects.end(), [&](const auto& o) { return o.rfind(kind_word, 0) == 0; });
    std::size_t shown = objects.size() > kMaxListed ? kMaxListed - 1 : objects.size();
    for (std::size_t i = 0; i < shown; ++i)
      items.push_back((i > 0 ? "" : (items.empty() ? "Waiting for: " : "") + paint_as(kWaiting, letter, color) + " ") +
                      objects[i] + (i + 1 < shown ? "," : ""));
    if (shown < objects.size()) items.back() += fmt::format(" and {} more", objects.size() - shown);
    items.back() += kind == SiteKind::kThread ? " to finish;" : named ? ";" : " (" + kind_word + ");";
  }
  if (!items.empty()) items.back().pop_back();
  std::string out;
  put_items(out,
            {"Legend: " + paint_as(kRunning, "-", color) + " running", paint_as(kSleeping, ".", color) + " sleeping",
             paint_as(kHolding, "#", color) + " holding a lock",
             paint_as(kWaiting, letters.empty() ? "letter" : letters, color) + " waiting (see below)",
             "blank: not started or ended"},
            "   ", width);
  put_items(out, items, " ", width);
  if (!held.empty()) held[0] = "Holding (#): " + held[0];
  put_items(out, held, ", ", width);
  return out;
}

}  // namespace

std::string render_timeline(const std::vector<Event>& own, const std::vector<trace::ProcessTrace>& children, double end,
                            int width, bool color) {
  // A child process's threads join the chart as rows named after the process ("Process-1",
  // or "Process-1/Thread-1" for its other threads), replayed in time order with ours.
  std::vector<Event> events = own;
  for (const trace::ProcessTrace& p : children)
    for (Event e : p.events) {
      e.thread_name = e.thread_name == "MainThread" ? p.name : p.name + "/" + e.thread_name;
      events.push_back(std::move(e));
    }
  if (!children.empty())
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
  end = std::max(end, 0.0);
  width = std::max(width, kMinWidth);

  // Rows: MainThread first, then in order of first appearance; a row is named by its thread's latest name.
  std::map<trace::ThreadKey, std::size_t> index;
  std::vector<Row> rows;
  auto main = std::find_if(events.begin(), events.end(),
                           [](const Event& e) { return e.pid == 0 && e.thread_name == "MainThread"; });
  if (main != events.end()) index.emplace(trace::key_of(*main), 0);
  for (const Event& e : events) index.emplace(trace::key_of(e), index.size());
  rows.resize(index.size());
  for (const Event& e : events) rows[index[trace::key_of(e)]].name = e.thread_name;

  // Layout: the name column, " |", one cell per time slice, "|".
  std::size_t name_w = 4;
  for (const Row& r : rows) name_w = std::max(name_w, display_columns(r.name));
  name_w = std::min({name_w, kMaxName, static_cast<std::size_t>(width) / 3});
  const int ncols = end > 0 ? width - static_cast<int>(name_w) - 3 : 1;
  const double dt = end / ncols;
  for (Row& r : rows) r.cells.resize(ncols);
  // The column of time `t` (rounded down); `round_up` for the last column a span ending at `t` touches.
  auto col = [&](double t, bool round_up = false) {
    double c = dt > 0 ? (round_up ? std::ceil(t / dt) - 1 : std::floor(t / dt)) : 0;
    return static_cast<int>(std::clamp(c, 0.0, ncols - 1.0));
  };

  // Paints `r`'s current state over the slices from r.since to `t`, then starts its next state at `t`.
  auto paint = [&](Row& r, double t) {
    t = std::max(t, r.since);
    if (r.alive) {
      Rank rank = !r.waits.empty() ? kWaiting : !r.holds.empty() ? kHolding : r.sleeps > 0 ? kSleeping : kRunning;
      char glyph = rank == kWaiting ? wait_letter(r.waits.back()) : " .-#"[rank];
      int c0 = col(r.since);
      int c1 = t > r.since ? std::max(c0, col(t, true)) : c0;
      if (t > r.since || rank >= kHolding || dt <= 0)
        for (int c = c0; c <= c1; ++c)
          if (rank > r.cells[c].rank) r.cells[c] = {rank, glyph};
    }
    r.since = t;
  };

  // Replay the events; note the sites waited on and the locks held, for the legend.
  Waited waited;
  std::vector<std::string> held;
  for (const Event& e : events) {
    Row& r = rows[index[trace::key_of(e)]];
    if (!r.seen) {
      r.seen = r.alive = true;
      r.first = r.since = e.kind == Kind::kStart || r.name != "MainThread" || e.pid != 0 ? e.t : 0;
    }
    paint(r, e.t);
    switch (e.kind) {
      case Kind::kStart: r.alive = true; break;
      case Kind::kEnd: r.alive = false; break;
      case Kind::kWait: {
        r.waits.push_back(e.site);
        auto group = std::find_if(waited.begin(), waited.end(), [&](const auto& g) { return g.first == e.site; });
        if (group == waited.end()) group = waited.insert(waited.end(), {e.site, {}});
        add_once(group->second, e.object);
        break;
      }
      case Kind::kWoken:
        if (!r.waits.empty()) r.waits.pop_back();
        break;
      case Kind::kSleep: ++r.sleeps; break;
      case Kind::kAwake: r.sleeps = std::max(0, r.sleeps - 1); break;
      case Kind::kHold:
        r.holds.push_back(e.object);
        add_once(held, e.object);
        break;
      case Kind::kRelease: {
        // Its own hold, else the hold of whoever holds it (a Lock may be released by another thread).
        auto holds = [&](const Row& h) { return std::find(h.holds.begin(), h.holds.end(), e.object) != h.holds.end(); };
        auto other = std::find_if(rows.begin(), rows.end(), holds);
        Row* holder = holds(r) ? &r : other != rows.end() ? &*other : nullptr;
        if (holder) {
          paint(*holder, e.t);
          holder->holds.erase(std::find(holder->holds.begin(), holder->holds.end(), e.object));
        }
        break;
      }
      case Kind::kInstant: break;
    }
  }
  for (Row& r : rows) {
    paint(r, end);
    bool drawn = std::any_of(r.cells.begin(), r.cells.end(), [](const Cell& c) { return c.rank != kAbsent; });
    if (!drawn && r.seen) r.cells[col(r.first)] = {kRunning, '-'};
  }

  std::string out;
  put_items(out,
            {fmt::format("Timeline (lecture seconds 0 to {};", secs(end)),
             end > 0 ? fmt::format("one column = {} s)", secs(dt)) : "the run took no time)"},
            " ", width);
  for (const Row& r : rows) out += draw_row(r, name_w, color);
  out += draw_axis(name_w, ncols, end);
  out += draw_legend(waited, held, width, color);
  return out;
}

}  // namespace concur::cli
