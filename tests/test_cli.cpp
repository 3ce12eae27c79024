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
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/demo_options.h"
#include "cli_fixture.h"
#include "concur.h"
#include "demos/demo.h"

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
using concur::testing::CliResult;
using concur::testing::lines_of;
using concur::testing::run_cli;
using concur::testing::run_demo;

namespace {

const char kEsc[] = "\x1b[";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

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

// Sets (or unsets, with nullopt) an environment variable for one test and restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

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
          .variants = {{"only", "the one variant"}},
          .sections = {},
          .run = run};
}

CliResult run_stand_in(concur::demos::RunFn run, double time_scale = concur::cli::kFastScale, double timeout = 60,
                       bool quiet = false) {
  concur::demos::Demo demo = stand_in(run);
  concur::cli::DemoSettings settings;
  settings.context.variant = "only";
  settings.seed = 1;
  settings.time_scale = time_scale;
  settings.timeout = timeout;
  settings.quiet = quiet;
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
  auto start = std::chrono::steady_clock::now();
  auto r = run_cli({"demo", "lock", "--variant", "coarse", "--time-scale", "1", "--timeout", "0.3", "--color", "never"});
  double took = seconds_since(start);
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_LT(took, 1.5);
  ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, MatchesRegex("concur: watchdog: 'lock' was still running after 0\\.3 s and was stopped\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("check:")));
}

TEST(CliExitCodeTest, WatchdogStopsEveryThreadOfTheDemoNotOnlyMain) {
  auto start = std::chrono::steady_clock::now();
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
    {"ListWithAnArgument", {"list", "extra"}, "extra"},
    {"ListNamesWithAnArgument", {"list", "--names", "extra"}, "extra"},
    {"SeedInfinite", {"demo", "semaphore", "--fast", "--seed", "inf"}, "--seed: 'inf'"},
    {"SeedMinusZero", {"demo", "semaphore", "--fast", "--seed", "-0"}, "--seed: '-0'"},
    {"TimeoutInfinite", {"demo", "semaphore", "--fast", "--timeout", "inf"}, "--timeout: 'inf'"},
    {"TimeoutHuge", {"demo", "semaphore", "--fast", "--timeout", "1e300"}, "--timeout: '1e300'"},
    {"CheckTimeoutNan", {"check", "--all", "--timeout", "nan"}, "--timeout: 'nan'"},
    {"ColorWithoutAValue", {"demo", "semaphore", "--fast", "--color"}, "--color"},
    {"DeterministicWithTimeScaleAndFast", {"demo", "semaphore", "--fast", "--deterministic", "--time-scale", "0.5"}, "--fast"},
    {"DeterministicProcessDemo", {"demo", "fork", "--deterministic"}, "fork cannot run deterministically"},
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
