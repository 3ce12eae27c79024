// The command line, driven in-process: exit codes, help and version, `list`, `explain`
// and `source` for every demo in the table, bad usage (exit 2, one line on stderr,
// nothing on stdout), the `concur NAME` shorthand, --color, NO_COLOR and --quiet.
//
// Where a demo has to run, these tests use `semaphore` (or `lock` for a long one); the
// outcomes the CLI itself decides (a failing check, a demo that raises, the watchdog) use
// small stand-in demos passed straight to cli::run_demo, so they hold whatever the real
// demos do.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/demo_options.h"
#include "binary_fixture.h"
#include "cli/run_demo.h"
#include "cli/usage_error.h"
#include "cli_fixture.h"
#include "core/concur.h"
#include "demos/demo.h"
#include "core/process/process.h"

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
using namespace concur::testing;  // the fixtures

namespace {

const char kEsc[] = "\x1b[";

// The run function a demo named NAME must define: run_NAME, dashes as underscores.
std::string run_function_of(const std::string& name) {
  std::string fn = "run_" + name;
  std::replace(fn.begin(), fn.end(), '-', '_');
  return fn;
}

// The first line of `text` that contains `needle`, or "".
std::string line_with(const std::string& text, const std::string& needle) {
  for (const auto& line : lines_of(text))
    if (line.find(needle) != std::string::npos) return line;
  return "";
}

// Makes the process's fd 1 a terminal (a fresh pseudo-terminal) or not (/dev/null) while
// it lives, so that `--color auto`, which asks isatty(STDOUT_FILENO), is tested either
// way whatever runs the tests. The CLI writes to the fixture's stream, never to fd 1.
class ScopedStdout {
 public:
  explicit ScopedStdout(bool terminal) {
    std::fflush(stdout);
    std::cout.flush();
    if (terminal) {
      master_ = posix_openpt(O_RDWR | O_NOCTTY);
      if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0) return;
      const char* slave = ptsname(master_);
      if (!slave) return;
      target_ = open(slave, O_RDWR | O_NOCTTY);
    } else {
      target_ = open("/dev/null", O_WRONLY);
    }
    if (target_ < 0) return;
    saved_ = dup(STDOUT_FILENO);
    ok_ = saved_ >= 0 && dup2(target_, STDOUT_FILENO) >= 0;
  }
  ~ScopedStdout() {
    if (saved_ >= 0) {
      dup2(saved_, STDOUT_FILENO);
      close(saved_);
    }
    if (target_ >= 0) close(target_);
    if (master_ >= 0) close(master_);
  }
  bool ok() const { return ok_; }

 private:
  int master_ = -1;
  int target_ = -1;
  int saved_ = -1;
  bool ok_ = false;
};

CliResult run_with_stdout(bool terminal, const std::vector<std::string>& args) {
  ScopedStdout fd1(terminal);
  if (!fd1.ok()) return {-1, "", "could not set up fd 1"};
  return run_cli(args);
}

// --- Stand-in demos for cli::run_demo -----------------------------------------------

concur::demos::Check check_that_fails(const concur::demos::Context&) {
  concur::print("the stand-in's own line");
  return {false, "2 of 3 items arrived"};
}

concur::demos::Check check_that_raises(const concur::demos::Context&) {
  throw concur::ValueError("the stand-in raised");
}

concur::demos::Check check_that_throws_a_bug(const concur::demos::Context&) {
  throw std::logic_error("vector index out of range");
}

// Main and a second thread both sleep far longer than any test waits.
concur::demos::Check check_that_runs_long(const concur::demos::Context&) {
  concur::ThreadArgs args;
  args.target = [] { concur::time::sleep(100); };
  concur::Thread sleeper(args);
  sleeper.start();
  concur::time::sleep(100);
  sleeper.join();
  return {true, "slept"};
}

concur::demos::Demo stand_in(concur::demos::RunFn run) {
  return {.name = "stand-in",
          .summary = "a demo for the CLI's tests",
          .watch = "nothing much.",
          .variants = {{"only", "the one variant", run}},
          .sections = {}};
}

CliResult run_stand_in(concur::demos::RunFn run, double time_scale = concur::cli::kFastScale, double timeout = 60,
                       bool quiet = false) {
  concur::demos::Demo demo = stand_in(run);
  concur::cli::DemoSettings settings;
  settings.context.variant = "only";
  settings.run.seed = 1;
  settings.run.time_scale = time_scale;
  settings.timeout = timeout;
  settings.run.quiet = quiet;
  std::ostringstream out, err;
  int code = concur::cli::run_demo(demo, settings, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

// --- Exit codes ------------------------------------------------------------------------

TEST(CliExitCodeTest, ExitsZeroAndPrintsCheckOkWhenTheDemosCheckHolds) {
  auto r = run_demo("semaphore", "event");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, StartsWith("Watch: "));
  EXPECT_THAT(lines_of(r.out).back(), StartsWith("check: ok - "));
}

TEST(CliExitCodeTest, ExitsOneAndPrintsCheckFailedWhenTheCheckDoesNotHold) {
  auto r = run_stand_in(check_that_fails);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "Watch: nothing much.\nthe stand-in's own line\ncheck: FAILED - 2 of 3 items arrived\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliExitCodeTest, ExitsOneWithThePythonErrorOnOneLineWhenTheDemoRaises) {
  auto r = run_stand_in(check_that_raises);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "concur: stand-in: ValueError: the stand-in raised\n");
  EXPECT_THAT(r.out, Not(HasSubstr("check:")));
}

TEST(CliExitCodeTest, ExitsOneWithOneLineWhenTheDemoThrowsAnythingElse) {
  auto r = run_stand_in(check_that_throws_a_bug);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "concur: stand-in: internal error: vector index out of range\n");
}

TEST(CliExitCodeTest, ExitsTwoOnBadUsage) {
  auto r = run_cli({"demo", "semaphore", "--variant", "nope"});
  EXPECT_EQ(r.code, 2);
}

TEST(CliExitCodeTest, ExitsThreeWithinASecondWhenTheWatchdogStopsALongDemo) {
  auto start = Clock::now();
  auto r = run_cli({"demo", "lock", "--variant", "coarse", "--time-scale", "1", "--timeout", "0.3", "--color", "never"});
  double took = seconds_since(start);
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_LT(took, 1.5);
  ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, MatchesRegex("concur: watchdog: 'lock' was still running after 0\\.3 s and was stopped\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("check:")));
}

TEST(CliExitCodeTest, WatchdogStopsEveryThreadOfTheDemoNotOnlyMain) {
  auto start = Clock::now();
  auto r = run_stand_in(check_that_runs_long, /*time_scale=*/1, /*timeout=*/0.2);
  EXPECT_EQ(r.code, 3);
  EXPECT_LT(seconds_since(start), 1.5);
  EXPECT_EQ(r.err, "concur: watchdog: 'stand-in' was still running after 0.2 s and was stopped\n");
}

TEST(CliExitCodeTest, CheckRunsEveryVariantOfTheNamedDemoAndExitsZeroWhenAllHold) {
  const auto* demo = concur::demos::find("semaphore");
  ASSERT_NE(demo, nullptr);
  auto r = run_cli({"check", "semaphore"});
  EXPECT_EQ(r.code, 0) << r.out;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), demo->variants.size() + 1) << r.out;
  for (std::size_t i = 0; i < demo->variants.size(); ++i)
    EXPECT_THAT(lines[i], StartsWith("ok     semaphore:" + demo->variants[i].name + " "));
  EXPECT_EQ(lines.back(), std::to_string(demo->variants.size()) + " passed, 0 failed");
  EXPECT_EQ(r.err, "");
}

// Side by side (--jobs 3: forked workers) the table is the serial one's: every variant once,
// in table order, each line as a serial run gives it but for its time.
TEST(CliExitCodeTest, CheckSideBySideReportsEveryVariantInTableOrderAsOneAfterAnotherDoes) {
  auto columns = [](const std::string& line) { return line.substr(0, std::min(line.size(), std::size_t{37})); };
  auto serial = run_cli({"check", "--jobs", "1", "semaphore", "lock", "queue"});
  auto side_by_side = run_cli({"check", "--jobs", "3", "semaphore", "lock", "queue"});
  EXPECT_EQ(serial.code, 0) << serial.out;
  EXPECT_EQ(side_by_side.code, 0) << side_by_side.out;
  auto a = lines_of(serial.out), b = lines_of(side_by_side.out);
  ASSERT_EQ(a.size(), b.size()) << serial.out << side_by_side.out;
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(columns(a[i]), columns(b[i])) << "line " << i;
  EXPECT_EQ(side_by_side.err, "");
}

// --- Help and version ------------------------------------------------------------------

TEST(CliHelpTest, AppHelpNamesEveryCommandAndTheExitCodes) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("Usage: concur"));
  for (const char* command : {"list", "demo", "explain", "source", "check"})
    EXPECT_THAT(r.out, HasSubstr(std::string("\n  ") + command + " ")) << command;
  EXPECT_THAT(r.out, HasSubstr("3 watchdog"));
}

TEST(CliHelpTest, EveryCommandHasItsOwnHelp) {
  for (const char* command : {"list", "demo", "explain", "source", "check"}) {
    SCOPED_TRACE(command);
    auto r = run_cli({command, "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_THAT(r.out, HasSubstr(std::string("Usage: concur ") + command));
  }
}

TEST(CliHelpTest, DemoHelpNamesEveryDemo) {
  auto r = run_cli({"demo", "--help"});
  EXPECT_EQ(r.code, 0);
  for (const auto& d : concur::demos::table()) EXPECT_THAT(r.out, HasSubstr("  " + d.name + " ")) << d.name;
}

TEST(CliHelpTest, SemaphoreHelpListsItsVariantsAndOptions) {
  auto r = run_cli({"demo", "semaphore", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("Usage: concur demo semaphore"));
  EXPECT_THAT(r.out, HasSubstr("Variants:"));
  for (const auto& v : concur::demos::find("semaphore")->variants) EXPECT_THAT(r.out, HasSubstr("  " + v.name + " "));
  for (const char* option : {"--variant", "--seed", "--time-scale", "--fast", "--color", "--quiet", "--timeout"})
    EXPECT_THAT(r.out, HasSubstr(option));
}

TEST(CliHelpTest, EveryDemosHelpListsItsVariants) {
  for (const auto& d : concur::demos::table()) {
    SCOPED_TRACE(d.name);
    auto r = run_cli({"demo", d.name, "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_THAT(r.out, HasSubstr("Variants:"));
    for (const auto& v : d.variants) EXPECT_THAT(r.out, HasSubstr("  " + v.name + " "));
  }
}

TEST(CliHelpTest, VersionPrintsConcurAndASemanticVersion) {
  auto r = run_cli({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, MatchesRegex("concur [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

// --- list, explain, source ---------------------------------------------------------------

TEST(CliListTest, ListsEveryDemoInTableOrderWithItsVariants) {
  auto r = run_cli({"list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  const auto& table = concur::demos::table();
  // Where each demo's entry starts: its name at the start of a line, then its summary.
  std::vector<std::size_t> starts;
  for (const auto& d : table) {
    std::size_t at = r.out.find("\n  " + d.name + " ");
    ASSERT_NE(at, std::string::npos) << d.name << " is missing:\n" << r.out;
    if (!starts.empty()) {
      EXPECT_GT(at, starts.back()) << d.name << " is out of table order";
    }
    starts.push_back(at);
    EXPECT_THAT(r.out.substr(at), StartsWith("\n  " + d.name)) << d.name;
  }
  for (std::size_t i = 0; i < table.size(); ++i) {
    SCOPED_TRACE(table[i].name);
    std::size_t end = i + 1 < starts.size() ? starts[i + 1] : r.out.size();
    std::string entry = r.out.substr(starts[i], end - starts[i]);
    EXPECT_THAT(entry, HasSubstr(table[i].summary));
    // The variants, as words separated by spaces and commas; the first marked default.
    std::string words = entry.substr(entry.find("variants:") + 9);
    std::replace(words.begin(), words.end(), ',', ' ');
    std::istringstream in(words);
    std::vector<std::string> listed;
    for (std::string w; in >> w;)
      if (w != "(default)") listed.push_back(w);
    std::vector<std::string> expected;
    for (const auto& v : table[i].variants) expected.push_back(v.name);
    EXPECT_EQ(listed, expected);
    EXPECT_THAT(entry, HasSubstr(" " + expected.front() + " (default)"));
  }
}

TEST(CliExplainTest, ExplainsEveryDemoAndNamesItsLectureSections) {
  for (const auto& d : concur::demos::table()) {
    SCOPED_TRACE(d.name);
    auto r = run_cli({"explain", d.name});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_THAT(r.out, StartsWith(d.name + " - " + d.summary + "\n"));
    EXPECT_THAT(r.out, HasSubstr("Lecture sections"));
    for (const auto& s : d.sections) EXPECT_THAT(r.out, HasSubstr("seeds/" + s.seed + " ")) << s.title;
    for (const auto& s : d.sections) EXPECT_THAT(r.out, HasSubstr("\"" + s.title + "\"")) << s.title;
    for (const auto& v : d.variants) EXPECT_THAT(r.out, HasSubstr("  " + v.name + " "));
  }
}

TEST(CliSourceTest, PrintsEveryDemosOwnSourceWithItsRunFunction) {
  for (const auto& d : concur::demos::table()) {
    SCOPED_TRACE(d.name);
    auto r = run_cli({"source", d.name});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_THAT(r.out, HasSubstr(run_function_of(d.name)));
  }
}

// --- Bad usage: exit 2, one line on stderr, nothing on stdout ----------------------------

struct BadUsage {
  const char* label;  // the test's name
  std::vector<std::string> args;
  const char* says;   // part of the one line on stderr
};

// How ctest lists a case: the command line, not the struct's bytes.
void PrintTo(const BadUsage& b, std::ostream* os) {
  *os << "concur";
  for (const auto& a : b.args) *os << " '" << a << "'";
}

class CliBadUsageTest : public ::testing::TestWithParam<BadUsage> {};

TEST_P(CliBadUsageTest, ExitsTwoWithOneLineOnStderrAndNothingOnStdout) {
  const BadUsage& c = GetParam();
  auto r = run_cli(c.args);
  // Nothing left behind: a refused --trace or --record never creates its file.
  for (std::size_t i = 0; i + 1 < c.args.size(); ++i)
    if (c.args[i] == "--trace" || c.args[i] == "--record")
      EXPECT_FALSE(std::filesystem::exists(c.args[i + 1]) && !std::filesystem::is_directory(c.args[i + 1]));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, StartsWith("concur: "));
  EXPECT_THAT(r.err, ::testing::EndsWith("\n"));
  EXPECT_THAT(r.err, HasSubstr(c.says));
  // What was typed is escaped: no control character (ESC, CR, ...) reaches the terminal
  for (std::size_t i = 0; i + 1 < r.err.size(); ++i)
    EXPECT_FALSE(static_cast<unsigned char>(r.err[i]) < 0x20 || r.err[i] == '\x7f') << "byte " << i << " of " << r.err;
}

// Options that would run a demo add --fast (where they can) so a wrongly accepted value
// fails fast instead of running at lecture speed.
const BadUsage kBadUsage[] = {
    {"MisspeltDemoSuggestsTheDemo", {"semaphor"}, "did you mean 'semaphore'?"},
    {"UnknownCommand", {"frobnicate"}, "unknown command or demo 'frobnicate'"},
    {"NoCommand", {}, "name a command"},
    {"UnknownOptionBeforeTheCommand", {"--bogus"}, "unknown option '--bogus'"},
    {"DemoWithoutAName", {"demo"}, "name a demo"},
    {"DemoOptionBeforeTheDemosName", {"demo", "--fast", "semaphore"}, "name the demo before its options"},
    {"UnknownDemo", {"demo", "nosuch"}, "unknown demo 'nosuch'"},
    {"UnknownVariant", {"demo", "semaphore", "--variant", "nope", "--fast"}, "unknown variant 'nope' of semaphore"},
    {"UnknownVariantOfTheShorthand", {"semaphore", "-v", "nope", "--fast"}, "unknown variant 'nope'"},
    {"EmptyVariant", {"demo", "semaphore", "--variant", "", "--fast"}, "--variant"},
    {"VariantWithoutAValue", {"demo", "semaphore", "--variant"}, "--variant"},
    {"TimeScaleZero", {"demo", "semaphore", "--time-scale", "0"}, "--time-scale: '0'"},
    {"TimeScaleNegative", {"demo", "semaphore", "--time-scale", "-1"}, "--time-scale: '-1'"},
    {"TimeScaleNan", {"demo", "semaphore", "--time-scale", "nan"}, "--time-scale: 'nan'"},
    {"TimeScaleInf", {"demo", "semaphore", "--time-scale", "inf"}, "--time-scale: 'inf'"},
    {"TimeScaleNotANumber", {"demo", "semaphore", "--time-scale", "abc"}, "--time-scale: 'abc'"},
    {"TimeScaleTooSmall", {"demo", "semaphore", "--time-scale", "1e-12"}, "--time-scale: '1e-12'"},
    {"TimeScaleTooLarge", {"demo", "semaphore", "--time-scale", "1e9"}, "--time-scale: '1e9'"},
    {"TimeScaleEmpty", {"demo", "semaphore", "--time-scale", ""}, "--time-scale"},
    {"TimeScaleGivenWithEquals", {"demo", "semaphore", "--time-scale=abc"}, "--time-scale: 'abc'"},
    {"SeedNotANumber", {"demo", "semaphore", "--fast", "--seed", "abc"}, "--seed: 'abc'"},
    {"SeedNegative", {"demo", "semaphore", "--fast", "--seed", "-1"}, "--seed: '-1'"},
    {"SeedTooLarge", {"demo", "semaphore", "--fast", "--seed", "99999999999999999999"}, "--seed: '99999999999999999999'"},
    {"SeedFractional", {"demo", "semaphore", "--fast", "--seed", "1.5"}, "--seed: '1.5'"},
    {"SeedEmpty", {"demo", "semaphore", "--fast", "--seed", ""}, "--seed"},
    {"TimeoutZero", {"demo", "semaphore", "--fast", "--timeout", "0"}, "--timeout: '0'"},
    {"TimeoutNegative", {"demo", "semaphore", "--fast", "--timeout", "-3"}, "--timeout: '-3'"},
    {"TimeoutNan", {"demo", "semaphore", "--fast", "--timeout", "nan"}, "--timeout: 'nan'"},
    {"TimeoutEmpty", {"demo", "semaphore", "--fast", "--timeout", ""}, "--timeout"},
    {"ColorSometimes", {"demo", "semaphore", "--fast", "--color", "sometimes"}, "--color: 'sometimes'"},
    {"FastWithTimeScale", {"demo", "semaphore", "--fast", "--time-scale", "2"}, "--fast"},
    {"OptionGivenTwice", {"demo", "semaphore", "--fast", "--seed", "1", "--seed", "2"}, "--seed"},
    {"UnknownOption", {"demo", "semaphore", "--fast", "--bogus"}, "--bogus"},
    {"StrayArgument", {"demo", "semaphore", "--fast", "extra"}, "extra"},
    {"ExplainUnknownDemo", {"explain", "nosuch"}, "unknown demo 'nosuch'"},
    {"ExplainWithoutAName", {"explain"}, "NAME"},
    {"SourceUnknownDemo", {"source", "nosuch"}, "unknown demo 'nosuch'"},
    {"CheckWithoutNames", {"check"}, "name demos to check, or use --all"},
    {"CheckUnknownDemo", {"check", "nosuch"}, "unknown demo 'nosuch'"},
    {"CheckAllAndNames", {"check", "--all", "semaphore"}, "--all"},
    {"CheckTimeoutZero", {"check", "--timeout", "0", "semaphore"}, "--timeout: '0'"},
    {"CheckSeedNotANumber", {"check", "--seed", "x", "semaphore"}, "--seed: 'x'"},
    {"CheckJobsZero", {"check", "--jobs", "0", "semaphore"}, "--jobs: '0' is not a whole number from 1 to 64"},
    {"ListWithAnArgument", {"list", "extra"}, "extra"},
    {"ListNamesWithAnArgument", {"list", "--names", "extra"}, "extra"},
    {"SeedInfinite", {"demo", "semaphore", "--fast", "--seed", "inf"}, "--seed: 'inf'"},
    {"SeedMinusZero", {"demo", "semaphore", "--fast", "--seed", "-0"}, "--seed: '-0'"},
    {"TimeoutInfinite", {"demo", "semaphore", "--fast", "--timeout", "inf"}, "--timeout: 'inf'"},
    {"TimeoutHuge", {"demo", "semaphore", "--fast", "--timeout", "1e300"}, "--timeout: '1e300'"},
    {"CheckTimeoutNan", {"check", "--all", "--timeout", "nan"}, "--timeout: 'nan'"},
    {"ColorWithoutAValue", {"demo", "semaphore", "--fast", "--color"}, "--color"},
    {"DeterministicWithTimeScaleAndFast", {"demo", "semaphore", "--fast", "--deterministic", "--time-scale", "0.5"}, "--fast"},
    {"DemoIntegerOverflowing", {"demo", "race", "--fast", "--iterations", "99999999999999999999"}, "--iterations: '99999999999999999999'"},
    {"ExploreTooManyIncrements", {"demo", "race", "--explore", "--increments", "5"}, "--increments: '5'"},
    {"RunsZero", {"demo", "race", "--runs", "0"}, "--runs: '0'"},
    {"RunsNegative", {"demo", "race", "--runs", "-1"}, "--runs: '-1'"},
    {"RunsHuge", {"demo", "race", "--runs", "99999999999"}, "--runs: '99999999999'"},
    {"RunsWithATrace", {"demo", "race", "--runs", "2", "--trace", "never-written.json"}, "--runs counts many quiet runs"},
    {"RunsWithATimeline", {"demo", "race", "--runs", "2", "--timeline"}, "--runs counts many quiet runs"},
    {"StepWithRuns", {"demo", "semaphore", "--step", "--runs", "2"}, "--step and --runs"},
    {"TraceIntoADirectory", {"demo", "semaphore", "--fast", "--trace", "/tmp"}, "--trace: cannot write '/tmp': it is a directory"},
    {"TraceInAMissingDirectory", {"demo", "semaphore", "--fast", "--trace", "/nonexistent-dir/run.json"}, "does not exist"},
    {"TraceWithoutAFileName", {"demo", "semaphore", "--fast", "--trace="}, "--trace"},
    {"RecordIntoADirectory", {"demo", "semaphore", "--fast", "--record", "/tmp"}, "--record: cannot write '/tmp': it is a directory"},
    {"RecordInAMissingDirectory", {"demo", "semaphore", "--fast", "--record", "/nonexistent-dir/run.cast"}, "does not exist"},
    // Input quoted in an error is escaped as Python's repr() escapes it: one line, no escapes
    {"UnknownVariantWithANewline", {"demo", "semaphore", "--variant", "a\nb", "--fast"}, "unknown variant 'a\\nb' of"},
    {"UnknownVariantWithAnEscape", {"demo", "semaphore", "--variant", "\x1b[31mred", "--fast"}, "'\\x1b[31mred'"},
    {"UnknownVariantWithAQuoteAndABackslash", {"demo", "semaphore", "--variant", "it's\\", "--fast"}, "\"it's\\\\\""},
    {"UnknownVariantWithABidiOverride", {"demo", "semaphore", "--variant", "ab\u202ec", "--fast"}, "'ab\\u202ec'"},
    {"UnknownVariantNotUtf8", {"demo", "semaphore", "--variant", "caf\xe9", "--fast"}, "'caf\\xe9'"},
    {"UnknownCommandWithAnEscape", {"sem\x1b[2J"}, "unknown command or demo 'sem\\x1b[2J'"},
    {"UnknownOptionBeforeTheCommandWithATab", {"--bo\tgus"}, "unknown option '--bo\\tgus'"},
    {"UnknownDemoWithAnEscape", {"demo", "no\x1b]0;title\x07such"}, "unknown demo 'no\\x1b]0;title\\x07such'"},
    {"UnknownDemoOfCheckWithANewline", {"check", "a\nb"}, "unknown demo 'a\\nb'"},
    {"UnknownOptionWithANewline", {"demo", "semaphore", "--fast", "--bo\ngus"}, "--bo\\ngus"},
    {"StrayArgumentWithACarriageReturn", {"demo", "semaphore", "--fast", "extra\r"}, "extra\\r"},
    {"ChoiceWithAnEscape", {"demo", "queue", "--variant", "kinds", "--fast", "--kind", "\x1b[1mlifo"}, "--kind: '\\x1b[1mlifo'"},
    {"ColorWithANewline", {"demo", "semaphore", "--fast", "--color", "never\n"}, "--color: 'never\\n'"},
    {"SeedWithACarriageReturn", {"demo", "semaphore", "--fast", "--seed", "1\r"}, "--seed: '1\\r'"},
    {"TimeScaleWithADelete", {"demo", "semaphore", "--time-scale", "2\x7f"}, "--time-scale: '2\\x7f'"},
    {"DemoIntegerWithAnEscape", {"demo", "race", "--fast", "--rounds", "\x1b[2J"}, "--rounds: '\\x1b[2J'"},
    // `--NAME=` is an empty value, refused as `--NAME ''` is: not a bare --NAME taking the next word
    {"VariantEmptyWithEquals", {"demo", "semaphore", "--variant=", "--fast"}, "--variant: an empty value"},
    {"VariantEmptyWithEqualsInTheShorthand", {"semaphore", "--variant=", "--fast"}, "--variant: an empty value"},
    {"SeedEmptyWithEquals", {"demo", "semaphore", "--seed=", "--fast"}, "--seed: an empty value"},
    {"TimeScaleEmptyWithEquals", {"demo", "semaphore", "--time-scale=", "2"}, "--time-scale: an empty value"},
    {"DemoIntegerEmptyWithEquals", {"demo", "race", "--iterations=", "--fast"}, "--iterations: an empty value"},
    {"DemoChoiceEmptyWithEquals", {"demo", "queue", "--variant", "kinds", "--kind=", "--fast"}, "--kind: an empty value"},
    {"SwitchEmptyWithEquals", {"demo", "semaphore", "--fast="}, "--fast: an empty value; a switch takes none"},
    {"CheckSeedEmptyWithEquals", {"check", "--seed=", "semaphore"}, "--seed: an empty value"},
    // One number grammar: decimal digits, a point, an exponent; no hex, inf, nan or junk
    {"TimeScaleHexFloat", {"demo", "semaphore", "--time-scale", "0x1p-4"}, "--time-scale: '0x1p-4' is not a decimal number"},
    {"TimeScaleHex", {"demo", "semaphore", "--time-scale", "0x1"}, "--time-scale: '0x1' is not a decimal number"},
    {"TimeScaleInfinity", {"demo", "semaphore", "--time-scale", "Infinity"}, "--time-scale: 'Infinity' is not a decimal"},
    {"TimeScaleLeadingSpace", {"demo", "semaphore", "--time-scale", " 2"}, "--time-scale: ' 2' is not a decimal number"},
    {"TimeScaleTrailingJunk", {"demo", "semaphore", "--time-scale", "2s"}, "--time-scale: '2s' is not a decimal number"},
    {"TimeScaleBareExponent", {"demo", "semaphore", "--time-scale", "1e"}, "--time-scale: '1e' is not a decimal number"},
    {"TimeScaleBarePoint", {"demo", "semaphore", "--time-scale", "."}, "--time-scale: '.' is not a decimal number"},
    {"TimeScaleOverflowing", {"demo", "semaphore", "--time-scale", "1e999"}, "--time-scale: '1e999' is out of range"},
    {"TimeoutHex", {"demo", "semaphore", "--fast", "--timeout", "0x10"}, "--timeout: '0x10' is not a decimal number"},
    {"TimeoutNanUppercase", {"demo", "semaphore", "--fast", "--timeout", "NAN"}, "--timeout: 'NAN' is not a decimal"},
    {"CheckTimeoutHex", {"check", "--timeout", "0x10", "semaphore"}, "--timeout: '0x10' is not a decimal number"},
    {"SeedHex", {"demo", "semaphore", "--fast", "--seed", "0x10"}, "--seed: '0x10' is not a whole number"},
    {"SeedWithAPlus", {"demo", "semaphore", "--fast", "--seed", "+1"}, "--seed: '+1' is not a whole number"},
    {"SeedWithAnExponent", {"demo", "semaphore", "--fast", "--seed", "1e3"}, "--seed: '1e3' is not a whole number"},
    {"CheckSeedHex", {"check", "--seed", "0x10", "semaphore"}, "--seed: '0x10' is not a whole number"},
    {"DemoIntegerHex", {"demo", "race", "--fast", "--rounds", "0x10"}, "--rounds: '0x10' is not a whole number"},
    {"DemoIntegerWithAnExponent", {"demo", "race", "--fast", "--rounds", "1e2"}, "--rounds: '1e2' is not a whole number"},
    {"DemoIntegerWithASpace", {"demo", "race", "--fast", "--rounds", "2 "}, "--rounds: '2 ' is not a whole number"},
    {"RunsHex", {"demo", "race", "--runs", "0x2"}, "--runs: '0x2' is not a whole number"},
    // A switch that runs no threads refuses the views of running threads, naming both
    {"ExploreWithRuns", {"demo", "race", "--explore", "--runs", "2"}, "--explore and --runs: --explore runs no threads"},
    {"ExploreWithStep", {"demo", "race", "--explore", "--step"}, "--explore and --step"},
    {"ExploreWithNarrate", {"demo", "race", "--explore", "--narrate"}, "--explore and --narrate"},
    {"ExploreWithTimeline", {"demo", "race", "--explore", "--timeline"}, "--explore and --timeline"},
    {"ExploreWithATrace", {"demo", "race", "--explore", "--trace", "never-written.json"}, "--explore and --trace"},
    // ... and the options only the threads read; an option of a switch left off is refused
    {"ExploreWithIterations", {"demo", "race", "--explore", "--iterations", "10"}, "--explore and --iterations"},
    {"ExploreWithRounds", {"demo", "race", "--explore", "--rounds", "2"}, "--explore and --rounds"},
    {"IncrementsWithoutExplore", {"demo", "race", "--fast", "--increments", "3"}, "--increments: used only with --explore"},
    // An option the chosen variant does not read names the variants that do
    {"QueueKindOfTheDefaultVariant", {"demo", "queue", "--fast", "--kind", "lifo"},
     "--kind: used only by --variant kinds; queue --variant producer-consumer does not read it"},
    {"QueueThreadsOfTheSentinel", {"demo", "queue", "--variant", "sentinel", "--fast", "--threads", "3"},
     "--threads: used only by --variant kinds"},
    {"PoolExecutorOfMpPool", {"demo", "pool", "--variant", "mp-pool", "--fast", "--executor", "thread"},
     "--executor: used only by --variant as-completed, square, future, map, counting or fetch; pool --variant "
     "mp-pool"},
    {"SpawnStartMethodOfForkserver", {"demo", "spawn", "--variant", "forkserver", "--fast", "--start-method", "fork"},
     "--start-method: used only by --variant myfunc, tutorial, start, workers or compare"},
    {"GilSwitchIntervalOfThreads", {"demo", "gil", "--variant", "threads", "--fast", "--switch-interval", "10"},
     "--switch-interval: used only by --variant compare or simulated-gil"},
};

INSTANTIATE_TEST_SUITE_P(Inputs, CliBadUsageTest, ::testing::ValuesIn(kBadUsage),
                         [](const ::testing::TestParamInfo<BadUsage>& info) { return std::string(info.param.label); });

namespace {
// Exit 2, one line on stderr naming `option`, nothing on stdout.
void expect_usage_error(const std::vector<std::string>& args, const std::string& option) {
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, StartsWith("concur: " + option + ":"));
}
}  // namespace

TEST(CliUsageErrorTest, EveryDemosWholeNumberOptionRejectsValuesOutsideItsRange) {
  for (const auto& d : concur::demos::table()) {
    for (const auto& o : d.int_options) {
      for (std::string bad : {std::to_string(o.min - 1), std::to_string(o.max + 1), std::string("abc"),
                              std::string("1.5"), std::string("")}) {
        SCOPED_TRACE(d.name + " --" + o.name + " '" + bad + "'");
        expect_usage_error({"demo", d.name, "--fast", "--" + o.name, bad}, "--" + o.name);
      }
    }
  }
}

TEST(CliUsageErrorTest, EveryDemosChoiceOptionRejectsValuesNotAmongItsChoices) {
  for (const auto& d : concur::demos::table()) {
    for (const auto& o : d.choice_options) {
      for (std::string bad : {std::string("nosuch"), std::string("")}) {
        SCOPED_TRACE(d.name + " --" + o.name + " '" + bad + "'");
        expect_usage_error({"demo", d.name, "--fast", "--" + o.name, bad}, "--" + o.name);
      }
    }
  }
}

TEST(CliUsageErrorTest, UnknownVariantListsTheValidVariants) {
  auto r = run_cli({"demo", "semaphore", "--variant", "nope"});
  std::string valid;
  for (const auto& v : concur::demos::find("semaphore")->variants) valid += (valid.empty() ? "" : ", ") + v.name;
  EXPECT_THAT(r.err, HasSubstr("variants: " + valid + "\n"));
}

TEST(CliUsageErrorTest, MisspeltVariantSuggestsTheVariant) {
  std::string name = concur::demos::find("semaphore")->variants.front().name;
  std::string typo = name;
  typo.erase(1, 1);  // "event" -> "eent"
  auto r = run_cli({"demo", "semaphore", "--variant", typo});
  EXPECT_THAT(r.err, HasSubstr("did you mean '" + name + "'?"));
}

TEST(CliUsageErrorTest, QuotesInputAsPythonsReprDoes) {
  using concur::cli::repr;
  EXPECT_EQ(repr("semaphor"), "'semaphor'");
  EXPECT_EQ(repr("a\nb\tc\rd"), "'a\\nb\\tc\\rd'");
  EXPECT_EQ(repr("\x1b[31m\x07\x7f"), "'\\x1b[31m\\x07\\x7f'");
  EXPECT_EQ(repr("back\\slash"), "'back\\\\slash'");
  EXPECT_EQ(repr("it's"), "\"it's\"");            // double quotes, as repr() chooses
  EXPECT_EQ(repr("'\""), "'\\'\"'");            // both: single quotes, the single one escaped
  EXPECT_EQ(repr("N\u00b0 caf\u00e9"), "'N\u00b0 caf\u00e9'");  // printable UTF-8 as it is
  EXPECT_EQ(repr("\u00ad\u202e\u2028\ufeff"), "'\\xad\\u202e\\u2028\\ufeff'");  // invisible and bidi
  EXPECT_EQ(repr("\xc2\x9b"), "'\\x9b'");         // C1 CSI, encoded
  EXPECT_EQ(repr("\x9b\xff\xc3"), "'\\x9b\\xff\\xc3'");  // not UTF-8: the bytes
  EXPECT_EQ(repr(std::string("a\0b", 3)), "'a\\x00b'");
}

TEST(CliUsageErrorTest, PrintableEscapesOnlyWhatATerminalWouldActOn) {
  using concur::cli::printable;
  EXPECT_EQ(printable("unknown demo 'a\nb\x1b[2J'"), "unknown demo 'a\\nb\\x1b[2J'");
  EXPECT_EQ(printable("it's a \\ N\u00b0"), "it's a \\ N\u00b0");
  std::string once = concur::cli::repr("x\x1b\n\\");
  EXPECT_EQ(printable(once), once);  // what repr() made is left as it is
}

// --- Numbers: one grammar for every option ------------------------------------------------

namespace {
concur::cli::DemoOptions options_of(const concur::demos::Demo& demo) {
  concur::cli::DemoOptions opts;
  opts.color = "never";
  for (const auto& o : demo.int_options) opts.ints[o.name] = "";
  for (const auto& o : demo.choice_options) opts.choices[o.name] = "";
  for (const auto& o : demo.flag_options) opts.flags[o.name] = false;
  return opts;
}
}  // namespace

TEST(CliNumberTest, EveryDecimalFormIsReadTheSameByEveryRealNumberOption) {
  const auto& semaphore = *concur::demos::find("semaphore");
  const std::pair<const char*, double> forms[] = {{"2", 2},     {"0.5", 0.5},  {".5", 0.5},   {"2.", 2},
                                                  {"1e-3", 1e-3}, {"1E+1", 10}, {"+2", 2},     {"0002.50", 2.5}};
  for (const auto& [text, value] : forms) {
    SCOPED_TRACE(text);
    auto opts = options_of(semaphore);
    opts.time_scale = text;
    opts.timeout = text;
    auto s = concur::cli::validate(semaphore, opts);
    EXPECT_DOUBLE_EQ(s.run.time_scale, value);
    EXPECT_DOUBLE_EQ(s.timeout, value);
    EXPECT_DOUBLE_EQ(concur::cli::parse_positive_seconds("--timeout", text, 86400), value);
  }
}

TEST(CliNumberTest, WholeNumberOptionsReadDigitsWithASignWhereOneIsAllowed) {
  const auto& race = *concur::demos::find("race");
  for (const auto& [text, value] : std::vector<std::pair<std::string, long long>>{{"7", 7}, {"+7", 7}, {"007", 7}}) {
    auto opts = options_of(race);
    opts.ints["rounds"] = text;
    EXPECT_EQ(concur::cli::validate(race, opts).context.ints.at("rounds"), value) << text;
  }
  EXPECT_EQ(concur::cli::parse_seed("18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(concur::cli::parse_seed("0"), 0u);
  for (const char* bad : {"+1", "-0", "1.0", "1e3", "0x10", " 1", "1 ", "", "inf"})
    EXPECT_THROW(concur::cli::parse_seed(bad), concur::cli::UsageError) << bad;
}

// --- Options only some variants (or switches) read ---------------------------------------

TEST(CliVariantOptionTest, EveryOptionsVariantsAndSwitchAreTheDemosOwn) {
  for (const auto& d : concur::demos::table()) {
    std::vector<std::string> variants, flags;
    for (const auto& v : d.variants) variants.push_back(v.name);
    for (const auto& f : d.flag_options) flags.push_back(f.name);
    auto check = [&](const std::string& option, const std::vector<std::string>& listed, const std::string& flag) {
      for (const auto& v : listed)
        EXPECT_NE(std::find(variants.begin(), variants.end(), v), variants.end()) << d.name << " --" << option << ": " << v;
      if (!flag.empty())
        EXPECT_NE(std::find(flags.begin(), flags.end(), flag), flags.end()) << d.name << " --" << option << ": " << flag;
    };
    for (const auto& o : d.int_options) check(o.name, o.variants, o.flag);
    for (const auto& o : d.choice_options) check(o.name, o.variants, o.flag);
    for (const auto& o : d.flag_options) check(o.name, o.variants, "");
  }
}

TEST(CliVariantOptionTest, AnOptionIsAcceptedByItsVariantsAndRefusedByEveryOtherNamingThem) {
  int checked = 0;
  for (const auto& d : concur::demos::table()) {
    auto try_variants = [&](const std::string& option, const std::vector<std::string>& listed,
                            const std::function<void(concur::cli::DemoOptions&)>& give) {
      if (listed.empty()) return;
      for (const auto& v : d.variants) {
        SCOPED_TRACE(d.name + " --variant " + v.name + " --" + option);
        auto opts = options_of(d);
        opts.variant = v.name;
        give(opts);
        bool reads = std::find(listed.begin(), listed.end(), v.name) != listed.end();
        try {
          concur::cli::validate(d, opts);
          EXPECT_TRUE(reads) << "accepted, though the variant does not read it";
        } catch (const concur::cli::UsageError& e) {
          EXPECT_FALSE(reads) << e.what();
          EXPECT_THAT(e.what(), StartsWith("--" + option + ": used only by --variant "));
          for (const auto& name : listed) EXPECT_THAT(e.what(), HasSubstr(name));
          ++checked;
        }
      }
    };
    for (const auto& o : d.int_options)
      try_variants(o.name, o.variants, [&](auto& opts) { opts.ints[o.name] = std::to_string(o.default_value); });
    for (const auto& o : d.choice_options)
      try_variants(o.name, o.variants, [&](auto& opts) { opts.choices[o.name] = o.values.front(); });
  }
  EXPECT_GT(checked, 0);
}

TEST(CliVariantOptionTest, QueueKindRunsWithTheKindsVariant) {
  auto r = run_demo("queue", "kinds", {"--kind", "lifo", "--threads", "0"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

// --- The hidden `concur __child` entry ----------------------------------------------------

namespace {
// child_main(`concur __child ARGS...`) in-process, with what it writes to std::cerr. Only for
// arguments it refuses: it returns before it does anything.
CliResult run_child(std::vector<std::string> args) {
  args.insert(args.begin(), {"concur", "__child"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  int code = concur::process::child_main(static_cast<int>(args.size()), argv.data());
  std::cerr.rdbuf(old);
  return {code, "", err.str()};
}
}  // namespace

TEST(CliChildTest, AMalformedArgumentIsExitTwoWithOneLineNotAnAbort) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"t", "n", "i", "0", "abc", "1", "0"}, "SCALE 'abc'"},
      {{"t", "n", "i", "0", "0x1p-4", "1", "0"}, "SCALE '0x1p-4'"},
      {{"t", "n", "i", "0", "inf", "1", "0"}, "SCALE 'inf'"},
      {{"t", "n", "i", "0", "-1", "1", "0"}, "SCALE '-1'"},
      {{"t", "n", "i", "0", "0.5", "x", "0"}, "SEED 'x'"},
      {{"t", "n", "i", "0", "0.5", "-1", "0"}, "SEED '-1'"},
      {{"t", "n", "i", "0", "0.5", "99999999999999999999", "0"}, "SEED '99999999999999999999'"},
      {{"t", "n", "i", "0", "0.5", "1", "pid"}, "PARENT 'pid'"},
      {{"t", "n", "i", "0", "0.5", "1", "99999999999"}, "PARENT '99999999999'"},
      {{"t", "n", "i", "0", "0.5", "1", "1\n\x1b[2J"}, "PARENT '1\\n\\x1b[2J'"},
      {{"t", "n", "i", "yes", "0.5", "1", "0"}, "DAEMON 'yes'"},
      {{"t", "n", "i", "0", "0.5", "1", "0", "extra"}, "expected TARGET NAME IDENTITY DAEMON SCALE SEED [PARENT]"},
      {{"t", "n"}, "expected TARGET NAME IDENTITY DAEMON SCALE SEED [PARENT]"},
      {{"__forkserver", "abc"}, "PARENT 'abc'"},
  };
  for (const auto& [args, says] : cases) {
    SCOPED_TRACE(says);
    auto r = run_child(args);
    EXPECT_EQ(r.code, 2);
    ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, StartsWith("concur __child: bad arguments"));
    EXPECT_THAT(r.err, HasSubstr(says));
  }
}

// --- The shorthand, colour and quiet ------------------------------------------------------

TEST(CliShorthandTest, DemoNameAloneMeansDemoName) {
  auto shorthand = run_cli({"semaphore", "--help"});
  auto full = run_cli({"demo", "semaphore", "--help"});
  EXPECT_EQ(shorthand.code, 0);
  EXPECT_EQ(shorthand.out, full.out);

  auto ran = run_cli({"semaphore", "--fast", "--seed", "1", "--color", "never"});
  auto demo = run_demo("semaphore", "event");
  EXPECT_EQ(ran.code, demo.code);
  EXPECT_EQ(ran.err, demo.err);
  EXPECT_EQ(lines_of(ran.out).front(), lines_of(demo.out).front());
  EXPECT_EQ(lines_of(ran.out).back().substr(0, 10), lines_of(demo.out).back().substr(0, 10));
}

TEST(CliColorTest, ColorNeverPrintsNoEscapeCodesEvenOnATerminal) {
  auto r = run_with_stdout(true, {"demo", "semaphore", "--fast", "--seed", "1", "--color", "never"});
  EXPECT_THAT(r.out, Not(HasSubstr(kEsc)));
  EXPECT_THAT(r.err, Not(HasSubstr(kEsc)));
}

TEST(CliColorTest, ColorAutoPrintsNoEscapeCodesWhenStdoutIsNotATerminal) {
  ScopedEnv no_color("NO_COLOR", std::nullopt);
  auto r = run_with_stdout(false, {"demo", "semaphore", "--fast", "--seed", "1"});
  ASSERT_NE(r.code, -1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("check:"));
  EXPECT_THAT(r.out, Not(HasSubstr(kEsc)));
}

TEST(CliColorTest, ColorAutoColorsTheCheckLineOnATerminal) {
  ScopedEnv no_color("NO_COLOR", std::nullopt);
  auto r = run_with_stdout(true, {"demo", "semaphore", "--fast", "--seed", "1"});
  if (r.code == -1) GTEST_SKIP() << "no pseudo-terminal here";
  EXPECT_THAT(line_with(r.out, "check:"), HasSubstr(kEsc));
}

TEST(CliColorTest, ColorAlwaysColorsTheCheckLine) {
  auto r = run_with_stdout(false, {"demo", "semaphore", "--fast", "--seed", "1", "--color", "always"});
  std::string check = line_with(r.out, "check:");
  EXPECT_THAT(check, HasSubstr(kEsc));
  EXPECT_THAT(check, HasSubstr("\x1b[0m"));  // and resets after
}

TEST(CliColorTest, NoColorTurnsOffColorAutoEvenOnATerminal) {
  ScopedEnv no_color("NO_COLOR", "1");
  auto r = run_with_stdout(true, {"demo", "semaphore", "--fast", "--seed", "1", "--color", "auto"});
  if (r.code == -1) GTEST_SKIP() << "no pseudo-terminal here";
  EXPECT_THAT(r.out, HasSubstr("check:"));
  EXPECT_THAT(r.out, Not(HasSubstr(kEsc)));
}

TEST(CliColorTest, ColorAlwaysWinsOverNoColor) {
  ScopedEnv no_color("NO_COLOR", "1");
  auto r = run_cli({"demo", "semaphore", "--fast", "--seed", "1", "--color", "always"});
  EXPECT_THAT(line_with(r.out, "check:"), HasSubstr(kEsc));
}

TEST(CliQuietTest, QuietPrintsNeitherTheWatchLineNorTheCheckLine) {
  auto r = run_demo("semaphore", "event", {"--quiet"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("Watch:")));
  EXPECT_THAT(r.out, Not(HasSubstr("check:")));
}

TEST(CliQuietTest, QuietStillExitsOneWhenTheCheckFails) {
  auto r = run_stand_in(check_that_fails, concur::cli::kFastScale, 60, /*quiet=*/true);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "the stand-in's own line\n");
}
