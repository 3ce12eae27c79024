// --live on a real terminal: the built binary run on a pseudo-terminal (forkpty), as an
// instructor projects it. The panel is drawn between a save and a restore of the cursor, so
// taking those draws and every other escape sequence out of what the terminal received must
// leave exactly the lines of a run without --live, then the panel's last state. Also: why a
// wait ended, as --narrate tells it (issue 21, item 6).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/ioctl.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>

#include "binary_fixture.h"
#include "cli_fixture.h"
#include "core/concur.h"
#include "core/narration.h"
#include "core/process/pipe.h"
#include "core/process/process.h"
#include "core/process/queue.h"
#include "core/trace.h"
#include "core/trace_children.h"
#include "core_fixture.h"

namespace {

using namespace concur::testing;  // the fixtures
using ::testing::HasSubstr;
using ::testing::Not;

// `concur ARGS...` on a pseudo-terminal of `columns` x `rows`, in a session of its own (the
// terminal's foreground group: Ctrl-C typed on it reaches concur as from a keyboard). Reads
// what the terminal shows as it goes; the child is killed and reaped on every path.
class OnTerminal {
 public:
  OnTerminal(const std::vector<std::string>& args, int columns, int rows) {
    std::vector<std::string> argv_strings = {CONCUR_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = {"TERM=xterm", "PATH=/usr/bin:/bin"};
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    winsize size{static_cast<unsigned short>(rows), static_cast<unsigned short>(columns), 0, 0};
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ == 0) {
      // The child: signals as a shell leaves them, then concur
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) signal(sig, SIG_DFL);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
  }
  ~OnTerminal() {
    if (pid_ > 0 && !reaped_) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }
  OnTerminal(const OnTerminal&) = delete;
  OnTerminal& operator=(const OnTerminal&) = delete;

  bool started() const { return pid_ > 0 && master_ >= 0; }
  const std::string& shown() const { return shown_; }
  pid_t pid() const { return pid_; }

  // Resizes the terminal, as a window manager does (the kernel sends SIGWINCH).
  void resize(int columns, int rows) {
    winsize size{static_cast<unsigned short>(rows), static_cast<unsigned short>(columns), 0, 0};
    ioctl(master_, TIOCSWINSZ, &size);
  }
  // Types `keys` on the terminal.
  void type(const std::string& keys) { [[maybe_unused]] ssize_t n = write(master_, keys.data(), keys.size()); }

  // Reads until `done()` holds; false if `seconds` pass or the terminal closes first.
  bool read_until(const std::function<bool()>& done, double seconds) {
    auto start = Clock::now();
    while (!done()) {
      if (seconds_since(start) > seconds || closed_) return done();
      read_some(0.01);
    }
    return true;
  }
  // Reads until the child has exited and the terminal has nothing more; its wait status, or
  // nullopt after `seconds`.
  std::optional<int> finish(double seconds) {
    auto start = Clock::now();
    while (seconds_since(start) < seconds) {
      read_some(0.01);
      if (!reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
      if (reaped_) {
        while (!closed_ && read_some(0.02)) {
        }
        return status_;
      }
    }
    return std::nullopt;
  }

 private:
  // Reads what is there within `seconds`; false when nothing came.
  bool read_some(double seconds) {
    pollfd p{master_, POLLIN, 0};
    if (closed_ || poll(&p, 1, static_cast<int>(seconds * 1000) + 1) <= 0) return false;
    char buf[4096];
    ssize_t got = read(master_, buf, sizeof buf);
    if (got <= 0) {  // EIO: every holder of the terminal's other side has closed it
      closed_ = true;
      return false;
    }
    shown_.append(buf, static_cast<std::size_t>(got));
    return true;
  }

  pid_t pid_ = -1;
  int master_ = -1;
  bool reaped_ = false;
  bool closed_ = false;
  int status_ = 0;
  std::string shown_;
};

// What the terminal received without the panel: every draw ("\e7 ... \e8") taken out, then
// every other escape sequence, then the "\r" the terminal adds before each "\n".
std::string without_panel(const std::string& shown) {
  std::string text;
  for (std::size_t i = 0; i < shown.size();) {
    if (shown.compare(i, 2, "\x1b" "7") == 0) {  // a draw: up to the cursor's restore
      std::size_t end = shown.find("\x1b" "8", i + 2);
      i = end == std::string::npos ? shown.size() : end + 2;
    } else if (shown.compare(i, 2, "\x1b[") == 0) {  // CSI: parameters, then one final byte
      std::size_t j = i + 2;
      while (j < shown.size() && !(shown[j] >= 0x40 && shown[j] <= 0x7e)) ++j;
      i = j + 1;
    } else if (shown[i] == '\x1b') {
      i += 2;
    } else {
      if (shown[i] != '\r') text += shown[i];
      ++i;
    }
  }
  return text;
}

// Display columns of `s`: UTF-8 code points.
std::size_t columns_of(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

const std::vector<std::string> kNaiveDinner = {"demo",    "philosophers", "--variant", "naive", "--deterministic",
                                               "--seed",  "1",            "--color",   "never"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(LiveTest, DrawsARowForEveryPhilosopherAndTheCycle) {
  OnTerminal t(with(kNaiveDinner, {"--live"}), 80, 24);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(60);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 0") << t.shown();
  EXPECT_THAT(t.shown(), HasSubstr("\x1b[1;")) << "no scroll region was set";
  // The last state, below the output: the header, a row per thread, the forks, the cycle
  std::string text = without_panel(t.shown());
  auto header = text.rfind("-- concur demo philosophers --variant naive ");
  ASSERT_NE(header, std::string::npos) << text;
  std::string panel = text.substr(header);
  EXPECT_THAT(panel, HasSubstr("MainThread")) << panel;
  for (const char* row : {" 1st ", " 2nd ", " 3rd ", " 4th ", " 5th "})
    EXPECT_THAT(panel, HasSubstr("\n" + std::string(row))) << panel;
  EXPECT_THAT(panel, HasSubstr("fork 1 ")) << panel;
  EXPECT_THAT(panel, HasSubstr(" deadlock at ")) << panel;
  EXPECT_TRUE(std::regex_search(panel, std::regex("[1-5](st|nd|rd|th) waits for fork [1-5] held by [1-5]"))) << panel;
}

TEST(LiveTest, EachNameIsInTheColourOfItsThreadsLines) {
  std::vector<std::string> args = kNaiveDinner;
  args[args.size() - 1] = "always";  // --color always
  OnTerminal t(with(args, {"--live"}), 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(60)) << t.shown();
  std::string last = t.shown().substr(t.shown().rfind("\x1b[r"));
  for (std::string name : {"1st", "2nd", "3rd", "4th", "5th"}) {
    // The colour its lines are printed in: "\e[36m3rd is hungry."
    std::smatch m;
    ASSERT_TRUE(std::regex_search(t.shown(), m, std::regex("(\x1b\\[[0-9;]+m)" + name + " is hungry"))) << name;
    EXPECT_THAT(last, HasSubstr(" " + m[1].str() + name + " ")) << name << " in the last state:\n" << last;
  }
}

TEST(LiveTest, TheLinesAboveThePanelAreThoseOfARunWithoutIt) {
  std::string command;
  for (const auto& a : kNaiveDinner) command += " " + a;
  Ran plain = run_sh(shell_quoted(CONCUR_BINARY) + command + " 2>&1");
  ASSERT_EQ(plain.code, 0) << plain.out;
  OnTerminal t(with(kNaiveDinner, {"--live"}), 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(60)) << t.shown();
  std::string text = without_panel(t.shown());
  ASSERT_TRUE(text.starts_with(plain.out)) << "with --live:\n" << text << "\nwithout:\n" << plain.out;
  EXPECT_TRUE(text.substr(plain.out.size()).starts_with("-- concur demo philosophers")) << text;
}

TEST(LiveTest, FitsFortyColumnsWithoutWrapping) {
  OnTerminal t(with(kNaiveDinner, {"--live"}), 40, 20);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(60)) << t.shown();
  // Every line a draw writes at a row, and every line of the last state, fits 39 columns
  static const std::regex row_drawn("\x1b\\[[0-9]+;1H\x1b\\[2K([^\x1b]*)");
  int drawn = 0;
  for (std::sregex_iterator it(t.shown().begin(), t.shown().end(), row_drawn), end; it != end; ++it, ++drawn)
    EXPECT_LE(columns_of((*it)[1].str()), 39u) << (*it)[1].str();
  EXPECT_GT(drawn, 0);
  std::string text = without_panel(t.shown());
  auto header = text.rfind("-- concur demo ");
  ASSERT_NE(header, std::string::npos) << text;
  for (const std::string& line : lines_of(text.substr(header))) EXPECT_LE(columns_of(line), 39u) << line;
  EXPECT_THAT(text.substr(header), HasSubstr("\n 5th")) << text.substr(header);
}

// Issue 21, item 3: under --step the panel shows the state at each decision, under its menu.
TEST(LiveTest, UnderStepThePanelIsDrawnAtTheDecisions) {
  OnTerminal t({"demo", "semaphore", "--step", "--seed", "1", "--color", "never", "--live"}, 80, 30);
  ASSERT_TRUE(t.started());
  auto prompts = [&] {
    int n = 0;
    for (std::size_t at = 0; (at = t.shown().find("q = stop: ", at)) != std::string::npos; ++at) ++n;
    return n;
  };
  ASSERT_TRUE(t.read_until([&] { return prompts() >= 1; }, 30)) << t.shown();
  t.type("\n");
  ASSERT_TRUE(t.read_until([&] { return prompts() >= 2; }, 30)) << t.shown();
  t.type("\n");
  ASSERT_TRUE(t.read_until([&] { return prompts() >= 3; }, 30)) << t.shown();
  // With the third menu waiting, the panel as last drawn shows the state the seed's two
  // choices led to (a deterministic run: the same each time), drawn whole
  t.read_until([] { return false; }, 0.2);
  std::size_t frame = t.shown().rfind("\x1b" "7");
  ASSERT_NE(frame, std::string::npos);
  std::size_t end = t.shown().find("\x1b" "8", frame);
  std::string last = t.shown().substr(frame, end == std::string::npos ? std::string::npos : end - frame);
  EXPECT_THAT(last, HasSubstr("lecture clock")) << last;
  EXPECT_THAT(last, HasSubstr("\x1b[2K MainThread  waiting for Thread-1 to finish")) << last;
  t.type("q");
  EXPECT_EQ(exit_of(t.finish(30)), "exit 130") << t.shown();
}

// Issue 21, item 5: an asciicast of a --live run replays the panel too.
TEST(LiveTest, ARecordingHoldsThePanel) {
  std::string cast = ::testing::TempDir() + "live-" + std::to_string(getpid()) + ".cast";
  OnTerminal t(with(kNaiveDinner, {"--live", "--record", cast}), 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(60)) << t.shown();
  std::ifstream in(cast);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(cast.c_str());
  EXPECT_THAT(text, HasSubstr("\\u001b[1;")) << "the scroll region is not in the recording";
  EXPECT_THAT(text, HasSubstr("lecture clock")) << text;
  EXPECT_THAT(text, HasSubstr("\\u001b[?25h")) << "the cursor is not shown again at the end";
}

// A real run long enough to interrupt (the semaphore demo sleeps lecture seconds between its
// lines): once the panel shows, `stop` ends it; the terminal must be given back.
void expect_restored_after(const std::function<void(OnTerminal&)>& stop, const std::string& exit) {
  OnTerminal t({"demo", "semaphore", "--color", "never", "--live"}, 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.read_until([&] { return t.shown().find("lecture clock") != std::string::npos; }, 30)) << t.shown();
  std::size_t before = t.shown().size();
  stop(t);
  std::optional<int> status = t.finish(30);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), exit) << t.shown();
  std::string after = t.shown().substr(before);
  EXPECT_THAT(after, HasSubstr("\x1b[r")) << "the scroll region was not reset";
  EXPECT_THAT(after, HasSubstr("\x1b[?25h")) << "the cursor was not shown again";
  EXPECT_LT(after.rfind("\x1b[r"), after.rfind("-- concur demo semaphore")) << "the last state is not below";
}

TEST(LiveTest, FollowsAResizeOfTheTerminal) {
  OnTerminal t({"demo", "semaphore", "--color", "never", "--live"}, 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.read_until([&] { return t.shown().find("lecture clock") != std::string::npos; }, 30)) << t.shown();
  t.resize(100, 40);
  // Drawn again for 40 rows: its header row now below row 24, a new scroll region set
  EXPECT_TRUE(t.read_until(
      [&] { return std::regex_search(t.shown(), std::regex("\x1b\\[(2[5-9]|3[0-9]);1H\x1b\\[2K-- concur demo")); }, 10))
      << t.shown();
  t.type("\x03");
  EXPECT_EQ(exit_of(t.finish(30)), "exit 130") << t.shown();
}

TEST(LiveTest, AChildProcessHasARowWhileItRuns) {
  OnTerminal t({"demo", "mpqueue", "--color", "never", "--live"}, 80, 24);
  ASSERT_TRUE(t.started());
  // The producer process (forked) shows in a draw, from the run's wait table
  EXPECT_TRUE(t.read_until([&] { return t.shown().find("\x1b[2K producer-1  ") != std::string::npos; }, 30)) << t.shown();
  t.type("\x03");
  EXPECT_EQ(exit_of(t.finish(30)), "exit 130") << t.shown();
}

// The panel's last state, below the output: from its last header on, escapes removed.
std::string last_state(const OnTerminal& t, const std::string& demo) {
  std::string text = without_panel(t.shown());
  auto header = text.rfind("-- concur demo " + demo);
  return header == std::string::npos ? "" : text.substr(header);
}

// Issue 21, item 1: a thread Queue shows its size and its next items, in the order the next
// gets will take them (LIFO: the last put first). The single thread takes one item, then
// pauses 2 lecture seconds with the other four in the queue.
TEST(LiveTest, AThreadQueueShowsItsSizeAndNextItemsInTheOrderTheyWillCome) {
  OnTerminal t({"demo", "queue", "--variant", "kinds", "--kind", "lifo", "--threads", "1", "--color", "never",
                "--live"},
               100, 24);
  ASSERT_TRUE(t.started());
  EXPECT_TRUE(t.read_until([&] { return t.shown().find(": 4 items [3, 2, 1, 0]") != std::string::npos; }, 30))
      << t.shown();
  t.type("\x03");
  EXPECT_EQ(exit_of(t.finish(30)), "exit 130") << t.shown();
}

// Issue 21, item 1: a process Queue shows the items a child put and no one has got yet, as
// the child's own events tell the parent. The producer process puts an item each lecture
// second; the consumer takes one each 3: the first two put are in the queue together.
TEST(LiveTest, AProcessQueueShowsTheItemsAChildPutAndNoOneGotYet) {
  OnTerminal t({"demo", "mpqueue", "--color", "never", "--live"}, 250, 40);
  ASSERT_TRUE(t.started());
  static const std::regex appended("Process Producer : item ([0-9]+) appended");
  auto produced = [&] {
    std::vector<std::string> items;
    for (std::sregex_iterator it(t.shown().begin(), t.shown().end(), appended), end; it != end; ++it)
      items.push_back((*it)[1].str());
    return items;
  };
  ASSERT_TRUE(t.read_until([&] { return produced().size() >= 2; }, 30)) << t.shown();
  std::string first_two = "[" + produced()[0] + ", " + produced()[1];
  EXPECT_TRUE(t.read_until(
      [&] { return std::regex_search(t.shown(), std::regex("Queue [0-9]: [2-9] items \\" + first_two + "[,\\]]")); }, 30))
      << "no queue showed " << first_two << "\n" << t.shown();
  t.type("\x03");
  EXPECT_EQ(exit_of(t.finish(30)), "exit 130") << t.shown();
}

// Issue 21, item 1: a Pipe's messages are counted out as they are received: the child's
// send and the parent's recv meet, so none is left in the last state.
TEST(LiveTest, APipesMessagesAreCountedInAndOut) {
  OnTerminal t({"demo", "pipe", "--color", "never", "--live"}, 120, 30);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(60);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 0") << t.shown();
  std::string panel = last_state(t, "pipe");
  EXPECT_THAT(panel, HasSubstr("pipe: 0 messages")) << panel;
}

// Issue 21, item 2: spawned and forkserver children, which the run's wait table cannot see,
// have rows too, from their own events: in the last state, each is among the ended.
void expect_rows_for_children(const std::string& variant, const std::vector<std::string>& extra, int children) {
  std::vector<std::string> args = {"demo", "spawn", "--variant", variant, "--color", "never", "--live"};
  args.insert(args.end(), extra.begin(), extra.end());
  OnTerminal t(args, 200, 30);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(60);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 0") << t.shown();
  std::string panel = last_state(t, "spawn");
  ASSERT_THAT(panel, HasSubstr("ended: ")) << panel;
  std::string ended = panel.substr(panel.find("ended: "));
  for (int i = 1; i <= children; ++i)
    EXPECT_TRUE(std::regex_search(ended, std::regex("[ ,]Process-" + std::to_string(i) + "[,\n]"))) << i << "\n" << panel;
}

TEST(LiveTest, SpawnedChildrenHaveRows) { expect_rows_for_children("start", {}, 4); }

TEST(LiveTest, ForkserverChildrenHaveRows) { expect_rows_for_children("forkserver", {}, 3); }

// Issue 21, item 1: where the demo knows how long the run lasts (the dinner's --duration),
// the header shows the lecture clock against it; where it does not, the clock alone.
TEST(LiveTest, TheHeaderShowsProgressWhereTheRunsLengthIsKnown) {
  OnTerminal t({"demo", "philosophers", "--variant", "ordered", "--duration", "2", "--seed", "1", "--color", "never",
                "--live"},
               100, 24);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(60);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 0") << t.shown();
  std::string panel = last_state(t, "philosophers");
  EXPECT_THAT(panel, HasSubstr(" lecture clock 2.0/2 s --\n")) << panel;
  // Drawn while it ran: the clock against the length, from the start
  EXPECT_TRUE(std::regex_search(t.shown(), std::regex("\\[2K-- concur demo philosophers [^\n]* lecture clock [01]\\.[0-9]/2 s --")))
      << t.shown();
}

TEST(LiveTest, TheHeaderShowsNoProgressWhereTheRunsLengthIsUnknown) {
  OnTerminal t({"demo", "semaphore", "--color", "never", "--live", "--timeout", "0.3"}, 100, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(30)) << t.shown();
  EXPECT_TRUE(std::regex_search(t.shown(), std::regex(" lecture clock [0-9]+\\.[0-9] s --"))) << t.shown();
  EXPECT_FALSE(std::regex_search(t.shown(), std::regex(" lecture clock [0-9.]+/"))) << t.shown();
}

// Issue 21, item 5: the cast's header names the run as it was made, --live included.
TEST(LiveTest, ARecordingsHeaderSaysTheRunWasLive) {
  std::string cast = ::testing::TempDir() + "live-header-" + std::to_string(getpid()) + ".cast";
  OnTerminal t(with(kNaiveDinner, {"--live", "--record", cast}), 80, 24);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.finish(60)) << t.shown();
  std::ifstream in(cast);
  std::string header;
  std::getline(in, header);
  std::remove(cast.c_str());
  EXPECT_THAT(header, HasSubstr("\"command\":\"concur demo philosophers --variant naive --seed 1 --deterministic --live\""))
      << header;
}

TEST(LiveTest, CtrlCGivesTheTerminalBack) {
  expect_restored_after([](OnTerminal& t) { t.type("\x03"); }, "exit 130");
}

TEST(LiveTest, SigtermGivesTheTerminalBack) {
  expect_restored_after([](OnTerminal& t) { kill(t.pid(), SIGTERM); }, "exit 143");
}

TEST(LiveTest, TheWatchdogsStopGivesTheTerminalBack) {
  OnTerminal t({"demo", "semaphore", "--color", "never", "--live", "--timeout", "0.3"}, 80, 24);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(30);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 3") << t.shown();
  std::size_t reset = t.shown().rfind("\x1b[r");
  ASSERT_NE(reset, std::string::npos) << "the scroll region was not reset";
  EXPECT_GT(t.shown().rfind("\x1b[?25h"), reset) << "the cursor was not shown again";
  EXPECT_GT(t.shown().rfind("-- concur demo semaphore"), reset) << "the last state is not below";
}

TEST(LiveTest, NotATerminalIsBadUsage) {
  Ran r = run_binary({"demo", "philosophers", "--live"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "concur: --live needs a terminal\n");
  EXPECT_EQ(r.out, "");
}

// Issue 21, item 4: long work shows its progress on a terminal's stderr, and clears it.
TEST(ProgressTest, CheckShowsDoneOfTotalOnATerminalAndClearsIt) {
  OnTerminal t({"check", "race", "lock"}, 120, 24);
  ASSERT_TRUE(t.started());
  std::optional<int> status = t.finish(60);
  ASSERT_TRUE(status) << t.shown();
  EXPECT_EQ(exit_of(status), "exit 0") << t.shown();
  EXPECT_TRUE(std::regex_search(t.shown(), std::regex("\rcheck: [0-9]+/10 variants, [0-9.]+ s"))) << t.shown();
  // The last progress line is erased before the summary
  std::size_t last = t.shown().rfind("variants, ");
  std::size_t erased = t.shown().find("\r\x1b[K", last);
  ASSERT_NE(erased, std::string::npos) << "the progress line was left: " << t.shown();
  EXPECT_LT(erased, t.shown().find("10 passed")) << t.shown();
}

TEST(ProgressTest, CheckOnAPipeShowsNone) {
  Ran r = run_binary({"check", "race"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

// Issue 21, item 6: a wait that a deadlock report unwinds is not a timeout.
TEST(WhyAWaitEndedTest, NarrateSaysTheRunUnwoundTheWaitAfterTheDeadlockReport) {
  CliResult r = run_cli({"demo", "rlock", "--variant", "lock", "--deterministic", "--seed", "1", "--color", "never",
                         "--narrate"});
  EXPECT_THAT(r.out, HasSubstr("stops waiting for box.lock: the run unwinds it after the report above")) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("the timeout passed"))) << r.out;
}

// The core's side: the reason each kWoken carries, and the listener --live is fed by.
class WhyAWaitEndedCoreTest : public CoreTest {};

// The first kWoken on `object` among `events` (which must outlive the pointer), or nullptr.
const concur::trace::Event* woken_on(const std::vector<concur::trace::Event>& events, const std::string& object) {
  for (const auto& e : events)
    if (e.kind == concur::trace::Kind::kWoken && e.object == object) return &e;
  return nullptr;
}

TEST_F(WhyAWaitEndedCoreTest, AnAcquireWhoseTimeoutPassesSaysSo) {
  concur::trace::start(false);
  concur::Lock lock("box.lock");
  lock.acquire();
  concur::Thread other({.target = [&] { EXPECT_FALSE(lock.acquire(true, 1)); }});
  other.start();
  other.join();
  lock.release();
  std::vector<concur::trace::Event> events = concur::trace::stop();
  const concur::trace::Event* woken = woken_on(events, "box.lock");
  ASSERT_NE(woken, nullptr);
  EXPECT_FALSE(woken->ok);
  EXPECT_EQ(woken->woke, concur::trace::Woke::kTimeout);
  EXPECT_THAT(concur::trace::narration(*woken), HasSubstr("stops waiting for box.lock: the timeout passed"));
}

TEST_F(WhyAWaitEndedCoreTest, AWaitThatGotItSaysSo) {
  concur::trace::start(false);
  concur::Event ready("ready");
  concur::Thread other({.target = [&] { ready.wait(); }});
  other.start();
  ASSERT_TRUE(parked_on(ready.site()));
  ready.set();
  other.join();
  std::vector<concur::trace::Event> events = concur::trace::stop();
  const concur::trace::Event* woken = woken_on(events, "ready");
  ASSERT_NE(woken, nullptr);
  EXPECT_TRUE(woken->ok);
  EXPECT_EQ(woken->woke, concur::trace::Woke::kGot);
}

TEST_F(WhyAWaitEndedCoreTest, AWaitTheRunStopsSaysTheRunWasStopped) {
  concur::trace::start(false);
  concur::Event never("never");
  concur::Thread other({.target = [&] { never.wait(); }});
  other.start();
  ASSERT_TRUE(parked_on(never.site()));
  concur::runtime().cancel(concur::StopReason::kInterrupt);
  try {
    other.join();
  } catch (const concur::ThreadExit&) {  // the main thread unwinds too
  }
  std::vector<concur::trace::Event> events = concur::trace::stop();
  const concur::trace::Event* woken = woken_on(events, "never");
  ASSERT_NE(woken, nullptr);
  EXPECT_EQ(woken->woke, concur::trace::Woke::kStopped);
  EXPECT_THAT(concur::trace::narration(*woken), HasSubstr("the run was stopped"));
}

// Issue 21: a child process's waits carry why they ended into the trace file, as the main
// process's do: the child stuck putting a 1 MB item is unwound after the stuck report.
TEST(WhyAWaitEndedTest, AChildsWaitInTheTraceFileSaysWhyItEnded) {
  std::string file = ::testing::TempDir() + "why-child-" + std::to_string(getpid()) + ".json";
  CliResult r = run_cli({"demo", "mpqueue", "--variant", "join-before-get", "--color", "never", "--trace", file});
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(file.c_str());
  ASSERT_FALSE(text.empty()) << r.out << r.err;
  // The child's wait on the pipe's room: its span says the run unwound it
  EXPECT_THAT(text, HasSubstr("\"object\":\"Queue's pipe has room\",\"why\":\"the run unwinds it after the report"))
      << text;
}

std::vector<std::string>* g_heard = nullptr;
void hear(const concur::trace::Event& e) {
  if (g_heard) g_heard->push_back(e.thread_name + " " + concur::trace::narration(e));
}

TEST_F(WhyAWaitEndedCoreTest, TheListenerIsToldEachEventAsItHappensAndNothingOnceRemoved) {
  std::vector<std::string> heard;
  g_heard = &heard;
  concur::trace::set_listener(&hear);
  concur::trace::start(false);
  concur::Lock lock("fork 1");
  lock.acquire();
  EXPECT_EQ(heard.back(), "MainThread MainThread takes fork 1");
  lock.release();
  EXPECT_EQ(heard.back(), "MainThread MainThread releases fork 1");
  concur::trace::set_listener(nullptr);
  std::size_t told = heard.size();
  lock.acquire();
  lock.release();
  concur::trace::stop();
  EXPECT_EQ(heard.size(), told);
  g_heard = nullptr;
}

// What --live's listener is told of a thread Queue: after each put and get, its next items
// in the order the gets will take them.
std::vector<concur::trace::Event>* g_told = nullptr;
void keep_told(const concur::trace::Event& e) {
  if (g_told && e.kind == concur::trace::Kind::kInstant) g_told->push_back(e);
}

TEST_F(WhyAWaitEndedCoreTest, TheListenerIsToldAThreadQueuesNextItemsInTheOrderOfItsGets) {
  std::vector<concur::trace::Event> told;
  g_told = &told;
  concur::trace::set_listener(&keep_told);
  concur::trace::start(false);
  concur::Queue<int> fifo(0, "fifo");
  concur::LifoQueue<int> lifo(0, "lifo");
  concur::PriorityQueue<std::pair<int, std::string>> prio(0, "prio");
  for (int i : {111, 333, 222}) {
    fifo.put(i);
    lifo.put(i);
    prio.put({i, "x"});
  }
  EXPECT_EQ(prio.get().first, 111);
  concur::trace::set_listener(nullptr);
  concur::trace::stop();
  g_told = nullptr;
  auto last_of = [&](const std::string& object) {
    std::string items;
    for (const auto& e : told)
      if (e.object == object) items = e.next_items;
    return items;
  };
  EXPECT_EQ(last_of("fifo"), "111, 333, 222");
  EXPECT_EQ(last_of("lifo"), "222, 333, 111");
  EXPECT_EQ(last_of("prio"), "(222, 'x'), (333, 'x')");
}

TEST_F(WhyAWaitEndedCoreTest, NoListenerNoNextItems) {
  concur::trace::start(false);
  concur::Queue<int> q(0, "q");
  q.put(1);
  std::vector<concur::trace::Event> events = concur::trace::stop();
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) EXPECT_EQ(e.next_items, "") << e.object;
}

// A child's events reach the parent as they happen under --live (trace::live_news): the items
// it put into a process Queue and sent on a Pipe, with the identities the parent's own gets
// and receives carry, so that the panel can match them.
TEST_F(WhyAWaitEndedCoreTest, AChildsItemsReachTheParentAsTheyHappen) {
  std::vector<concur::trace::Event> told;
  g_told = &told;
  concur::trace::set_listener(&keep_told);
  concur::trace::start(false);
  concur::trace::start_children(false, /*live=*/true);
  concur::process::Queue q;
  auto [reader, writer] = concur::process::Pipe(false);
  concur::process::Process child({.target = [&] {
                                    q.put("hello");
                                    writer.send(concur::process::List{1, 2});
                                  },
                                  .start_method = "fork"});
  child.start();
  EXPECT_EQ(q.get().as_str(), "hello");
  EXPECT_EQ(concur::process::repr(reader.recv()), "[1, 2]");
  child.join();
  std::vector<concur::trace::ProcessTrace> news = concur::trace::live_news();
  concur::trace::set_listener(nullptr);
  concur::trace::stop();
  concur::trace::children();
  g_told = nullptr;
  ASSERT_EQ(news.size(), 1u);
  EXPECT_EQ(news[0].pid, child.pid().value_or(-1));
  const concur::trace::Event *put = nullptr, *sent = nullptr;
  for (const auto& e : news[0].events) {
    if (e.action == "puts an item into") put = &e;
    if (e.action == "sends a message into") sent = &e;
  }
  ASSERT_NE(put, nullptr);
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(put->item, "'hello'");
  EXPECT_EQ(sent->item, "[1, 2]");
  const concur::trace::Event *got = nullptr, *received = nullptr;
  for (const auto& e : told) {
    if (e.action == "gets an item from") got = &e;
    if (e.action == "receives a message from") received = &e;
  }
  ASSERT_NE(got, nullptr);
  ASSERT_NE(received, nullptr);
  EXPECT_EQ(got->item, "'hello'");
  EXPECT_EQ(got->id, put->id);
  EXPECT_EQ(received->id, sent->id);
  EXPECT_NE(received->id, 0u);
}

}  // namespace
