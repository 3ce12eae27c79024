// The --timeline chart (cli/timeline.h), drawn from synthetic event vectors: one row per
// thread in order, every line within the width, cells showing the right state at the right
// time, a legend that names the glyphs and the sites waited on, colour only when asked.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/timeline.h"
#include "core/runtime.h"
#include "core_fixture.h"
#include "text_lines.h"

using concur::SiteKind;
using concur::ThreadState;
using concur::cli::render_timeline;
using TraceEvent = concur::trace::Event;
using concur::trace::Kind;
using concur::testing::lines_of;

namespace {

// Display columns: UTF-8 code points (no escapes in uncoloured output).
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The line that starts with `name`, or "".
std::string row(const std::string& chart, const std::string& name) {
  for (const std::string& line : lines_of(chart))
    if (line.rfind(name, 0) == 0) return line;
  return "";
}

// The cell of `row_line` at lecture time `t` in a chart of `end` s: cells begin after the first '|'.
char cell_at(const std::string& row_line, double t, double end) {
  std::size_t first = row_line.find('|') + 1, last = row_line.rfind('|');
  std::size_t ncols = last - first;
  return row_line[first + static_cast<std::size_t>(t / end * ncols)];
}

// MainThread starts two workers and joins them; Thread-1 sleeps 0-2 then waits for
// "semaphore 1" from 2 to 3; Thread-2 holds "fork 1" from 2 to 4 and ends at 5.
struct Scene {
  ThreadState main, one, two;
  std::vector<TraceEvent> events;

  void add(double t, Kind kind, ThreadState& who, const std::string& name, SiteKind site = SiteKind::kSleep,
           const std::string& object = {}, const std::string& action = {}) {
    events.push_back(
        {.t = t, .kind = kind, .thread = &who, .thread_name = name, .site = site, .object = object, .action = action});
  }

  Scene() {
    add(0.0, Kind::kStart, one, "Thread-1");
    add(0.0, Kind::kSleep, one, "Thread-1");
    add(0.1, Kind::kInstant, main, "MainThread", SiteKind::kQueue, "queue 1", "puts an item into");
    add(0.5, Kind::kStart, two, "Thread-2");
    add(2.0, Kind::kAwake, one, "Thread-1");
    add(2.0, Kind::kWait, one, "Thread-1", SiteKind::kSemaphore, "semaphore 1");
    add(2.0, Kind::kHold, two, "Thread-2", SiteKind::kLock, "fork 1");
    add(3.0, Kind::kWoken, one, "Thread-1", SiteKind::kSemaphore, "semaphore 1");
    add(4.0, Kind::kRelease, two, "Thread-2", SiteKind::kLock, "fork 1");
    add(5.0, Kind::kEnd, two, "Thread-2");
    add(6.0, Kind::kEnd, one, "Thread-1");
  }
};

}  // namespace

TEST(TimelineTest, DrawsOneRowPerThreadWithMainThreadFirst) {
  Scene s;
  std::vector<std::string> lines = lines_of(render_timeline(s.events, 8.0, 80, false));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "Timeline (lecture seconds 0 to 8.0; one column = 0.12 s)");
  EXPECT_EQ(lines[1].rfind("MainThread |", 0), 0u);
  EXPECT_EQ(lines[2].rfind("Thread-1   |", 0), 0u);
  EXPECT_EQ(lines[3].rfind("Thread-2   |", 0), 0u);
  EXPECT_EQ(lines[4].find_first_not_of(' '), lines[1].find('|'));  // the axis follows the rows
}

TEST(TimelineTest, EveryLineFitsTheWidth) {
  Scene s;
  ThreadState other;
  s.add(1.0, Kind::kStart, other, "Thread-3 (a very long target name)");
  s.add(1.5, Kind::kWait, other, "Thread-3 (a very long target name)", SiteKind::kQueue, "queue N°1 (not empty)");
  for (int width : {24, 40, 80, 132}) {
    std::string chart = render_timeline(s.events, 8.0, width, false);
    for (const std::string& line : lines_of(chart)) EXPECT_LE(code_points(line), width) << width << ": " << line;
    EXPECT_EQ(code_points(row(chart, "Main")), width) << "the rows use the whole width";
  }
}

TEST(TimelineTest, CellsShowWhatEachThreadDidAtThatTime) {
  Scene s;
  std::string chart = render_timeline(s.events, 8.0, 80, false);
  std::string one = row(chart, "Thread-1"), two = row(chart, "Thread-2"), main = row(chart, "MainThread");
  EXPECT_EQ(cell_at(main, 7.5, 8.0), '-');  // MainThread runs for the whole run
  EXPECT_EQ(cell_at(one, 1.0, 8.0), '.');   // sleeping
  EXPECT_EQ(cell_at(one, 2.5, 8.0), 'S');   // waiting for a semaphore
  EXPECT_EQ(cell_at(one, 4.0, 8.0), '-');   // running again
  EXPECT_EQ(cell_at(one, 7.0, 8.0), ' ');   // ended at 6
  EXPECT_EQ(cell_at(two, 0.2, 8.0), ' ');   // not started before 0.5
  EXPECT_EQ(cell_at(two, 1.0, 8.0), '-');
  EXPECT_EQ(cell_at(two, 3.0, 8.0), '#');  // holding fork 1
  EXPECT_EQ(cell_at(two, 4.5, 8.0), '-');
  EXPECT_EQ(cell_at(two, 5.5, 8.0), ' ');
}

TEST(TimelineTest, LegendNamesTheGlyphsAndTheSitesWaitedOn) {
  Scene s;
  std::string chart = render_timeline(s.events, 8.0, 80, false);
  EXPECT_NE(chart.find("- running"), std::string::npos) << chart;
  EXPECT_NE(chart.find(". sleeping"), std::string::npos);
  EXPECT_NE(chart.find("# holding a lock"), std::string::npos);
  EXPECT_NE(chart.find("S waiting (see below)"), std::string::npos);
  EXPECT_NE(chart.find("Waiting for: S semaphore 1\n"), std::string::npos);
  EXPECT_NE(chart.find("Holding (#): fork 1\n"), std::string::npos);
  EXPECT_NE(chart.find("8.0 s\n"), std::string::npos);
}

TEST(TimelineTest, ColourEscapesAppearOnlyWhenAsked) {
  Scene s;
  EXPECT_EQ(render_timeline(s.events, 8.0, 80, false).find('\x1b'), std::string::npos);
  std::string coloured = render_timeline(s.events, 8.0, 80, true);
  EXPECT_NE(coloured.find("\x1b[1;31mSSS"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[1;33m###"), std::string::npos);
}

TEST(TimelineTest, AThreadThatNeverEndedRunsToTheEnd) {
  Scene s;
  s.events.pop_back();  // Thread-1 never ends
  std::string one = row(render_timeline(s.events, 8.0, 80, false), "Thread-1");
  EXPECT_EQ(cell_at(one, 7.9, 8.0), '-');
}

TEST(TimelineTest, AThreadHoldingTwoForksHoldsUntilItReleasesBoth) {
  ThreadState phil;
  std::vector<TraceEvent> events = {
      {.t = 0, .kind = Kind::kStart, .thread = &phil, .thread_name = "1st"},
      {.t = 1, .kind = Kind::kHold, .thread = &phil, .thread_name = "1st", .site = SiteKind::kLock, .object = "fork 1"},
      {.t = 2, .kind = Kind::kHold, .thread = &phil, .thread_name = "1st", .site = SiteKind::kLock, .object = "fork 2"},
      {.t = 3, .kind = Kind::kRelease, .thread = &phil, .thread_name = "1st", .object = "fork 1"},
      {.t = 4, .kind = Kind::kRelease, .thread = &phil, .thread_name = "1st", .object = "fork 2"},
      {.t = 5, .kind = Kind::kEnd, .thread = &phil, .thread_name = "1st"},
  };
  std::string chart = render_timeline(events, 5.0, 60, false);
  std::string r = row(chart, "1st");
  EXPECT_EQ(cell_at(r, 0.5, 5.0), '-');
  EXPECT_EQ(cell_at(r, 2.5, 5.0), '#');
  EXPECT_EQ(cell_at(r, 3.5, 5.0), '#');  // still holds fork 2
  EXPECT_EQ(cell_at(r, 4.5, 5.0), '-');
  EXPECT_NE(chart.find("Holding (#): fork 1, fork 2\n"), std::string::npos) << chart;
}

TEST(TimelineTest, AZeroLengthRunDrawsOneColumn) {
  ThreadState main;
  std::vector<TraceEvent> events = {
      {.t = 0, .kind = Kind::kInstant, .thread = &main, .thread_name = "MainThread", .action = "set"}};
  std::string chart = render_timeline(events, 0.0, 80, false);
  EXPECT_EQ(row(chart, "MainThread"), "MainThread |-|");
  EXPECT_NE(chart.find("the run took no time"), std::string::npos) << chart;
}

TEST(TimelineTest, AnInstantOnlyThreadStillGetsARow) {
  ThreadState main, setter;
  std::vector<TraceEvent> events = {
      {.t = 1, .kind = Kind::kInstant, .thread = &setter, .thread_name = "Thread-1", .action = "set"},
      {.t = 10, .kind = Kind::kInstant, .thread = &main, .thread_name = "MainThread", .action = "get"},
  };
  std::string chart = render_timeline(events, 10.0, 80, false);
  std::vector<std::string> lines = lines_of(chart);
  EXPECT_EQ(lines[1].rfind("MainThread |-", 0), 0u) << chart;  // MainThread runs from 0
  EXPECT_EQ(cell_at(row(chart, "Thread-1"), 0.5, 10.0), ' ');
  EXPECT_EQ(cell_at(row(chart, "Thread-1"), 1.5, 10.0), '-');
}

TEST(TimelineTest, ALockReleasedByAnotherThreadEndsTheHoldersHold) {
  ThreadState a, b;
  std::vector<TraceEvent> events = {
      {.t = 0, .kind = Kind::kHold, .thread = &a, .thread_name = "A", .site = SiteKind::kLock, .object = "lock 1"},
      {.t = 2, .kind = Kind::kRelease, .thread = &b, .thread_name = "B", .site = SiteKind::kLock, .object = "lock 1"},
  };
  std::string chart = render_timeline(events, 4.0, 40, false);
  EXPECT_EQ(cell_at(row(chart, "A "), 1.0, 4.0), '#') << chart;
  EXPECT_EQ(cell_at(row(chart, "A "), 3.0, 4.0), '-');
}

class TimelineRunTest : public concur::testing::CoreTest {};

TEST_F(TimelineRunTest, ARecordedRunShowsTheWorkerWaitingForTheSemaphore) {
  concur::trace::start(false);
  concur::Semaphore semaphore(0, "semaphore 1");
  concur::Thread worker({.target = [&] { semaphore.acquire(); }, .target_name = "consumer"});
  worker.start();
  ASSERT_TRUE(concur::testing::parked_on(semaphore.site()));
  concur::time::sleep(2);
  semaphore.release();
  worker.join();
  std::vector<TraceEvent> events = concur::trace::stop();
  ASSERT_FALSE(events.empty());
  std::string chart = render_timeline(events, events.back().t, 80, false);
  std::vector<std::string> lines = lines_of(chart);
  ASSERT_GE(lines.size(), 3u) << chart;
  EXPECT_EQ(lines[1].rfind("MainThread", 0), 0u) << chart;
  EXPECT_EQ(lines[2].rfind("Thread-1 (consumer) |", 0), 0u) << chart;
  EXPECT_NE(lines[2].find("SSSSSSSSSS"), std::string::npos) << chart;
  EXPECT_NE(chart.find("Waiting for: S semaphore 1"), std::string::npos) << chart;
}

TEST(TimelineTest, TheLegendGroupsTheSitesWaitedOnByLetter) {
  ThreadState main, a, b;
  auto wait = [](double t, ThreadState& who, const std::string& name, SiteKind site, const std::string& object) {
    return TraceEvent{.t = t, .kind = Kind::kWait, .thread = &who, .thread_name = name, .site = site, .object = object};
  };
  std::vector<TraceEvent> events = {
      wait(1, a, "1st", SiteKind::kLock, "fork 2"),
      wait(1, b, "2nd", SiteKind::kLock, "fork 3"),
      wait(2, main, "MainThread", SiteKind::kThread, "1st"),
      wait(3, a, "1st", SiteKind::kSemaphore, "semaphore 1"),
  };
  std::string chart = render_timeline(events, 4.0, 80, false);
  EXPECT_NE(chart.find("L,J,S waiting (see below)"), std::string::npos) << chart;
  EXPECT_NE(chart.find("Waiting for: L fork 2, fork 3 (lock); J 1st to finish; S semaphore 1\n"), std::string::npos)
      << chart;
}

TEST(TimelineTest, AWrappedLegendKeepsEveryCommaAndFitsTheWidth) {
  // Five philosophers each hold a fork and wait for the next: long lists of sites and holds
  std::vector<ThreadState> phil(5);
  const char* names[] = {"1st", "2nd", "3rd", "4th", "5th"};
  std::vector<TraceEvent> events;
  for (int i = 0; i < 5; ++i) {
    std::string fork = "fork " + std::to_string(i + 1), next = "fork " + std::to_string((i + 1) % 5 + 1);
    events.push_back({.t = 1, .kind = Kind::kHold, .thread = &phil[i], .thread_name = names[i],
                      .site = SiteKind::kLock, .object = fork});
    events.push_back({.t = 2, .kind = Kind::kWait, .thread = &phil[i], .thread_name = names[i],
                      .site = SiteKind::kLock, .object = next});
  }
  for (int width : {24, 32, 40, 48, 80}) {
    SCOPED_TRACE(width);
    std::string chart = render_timeline(events, 4.0, width, false);
    for (const std::string& line : lines_of(chart)) EXPECT_LE(code_points(line), width) << line;
    // The legend read as one text: the continuation lines joined back to their first line
    std::string legend = chart.substr(chart.find("Legend: "));
    std::string text;
    for (const std::string& line : lines_of(legend))
      text += line.rfind("  ", 0) == 0 ? " " + line.substr(2) : (text.empty() ? "" : "\n") + line;
    for (std::size_t at; (at = text.find("  ")) != std::string::npos;) text.erase(at, 1);  // the legend's gaps
    EXPECT_NE(text.find("Holding (#): fork 1, fork 2, fork 3, fork 4, fork 5"), std::string::npos) << chart;
    EXPECT_NE(text.find("Waiting for: L fork 2, fork 3, fork 4, fork 5, fork 1 (lock)"), std::string::npos) << chart;
    EXPECT_NE(text.find("L waiting (see below) blank: not started or ended"), std::string::npos) << chart;
  }
}
