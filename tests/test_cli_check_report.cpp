// `concur check --junit FILE` and `--tap`: the reports CI systems read (cli/check_report.h).
//
// The JUnit file is parsed back with xmllint (package libxml2-utils, installed by
// scripts/setup): validated against tests/junit.xsd, the shape Jenkins and GitLab accept,
// and queried with XPath. A failing check is made legitimately: `--timeout 0.001` stops the
// lock demo's long variants (lock:coarse sleeps 36 lecture seconds, 72 ms at --fast), exit 3
// each, so check fails. The writers' escaping is tested on results made up for it.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli/check_report.h"
#include "cli_fixture.h"
#include "demos/demo.h"

using concur::cli::CheckResult;
using namespace concur::testing;  // the fixtures
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace fs = std::filesystem;

namespace {

// Whether xmllint validates the file at `path` against tests/junit.xsd; if not, what xmllint
// said and the file.
::testing::AssertionResult schema_accepts(const std::string& path) {
  Ran xmllint = run_sh("xmllint --noout --schema " + shell_quoted(std::string(CONCUR_SOURCE_DIR) + "/tests/junit.xsd") +
                       " " + shell_quoted(path) + " 2>&1");
  if (xmllint.code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << xmllint.out << slurp(path);
}

// The value of XPath expression `expr` (a string(), a count()) in the XML file at `path`
// (without the newline xmllint puts after it).
std::string xpath(const std::string& path, const std::string& expr) {
  std::string value = run_sh("xmllint --xpath " + shell_quoted(expr) + " " + shell_quoted(path) + " 2>/dev/null").out;
  if (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

// The variants of `demo`, in table order.
std::vector<std::string> variants_of(const std::string& demo) {
  std::vector<std::string> names;
  if (const auto* d = concur::demos::find(demo))
    for (const auto& v : d->variants) names.push_back(v.name);
  return names;
}

// The test point lines of a TAP stream: "ok N - ..." and "not ok N - ...".
std::vector<std::string> test_points(const std::string& tap) {
  std::vector<std::string> points;
  static const std::regex kPoint(R"((not )?ok \d+ - .*)");
  for (const auto& line : lines_of(tap))
    if (std::regex_match(line, kPoint)) points.push_back(line);
  return points;
}

// Every JUnit test needs xmllint to read the file back.
class CheckReportJunitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_sh("command -v xmllint >/dev/null 2>&1").code, 0)
        << "xmllint is missing: install libxml2-utils (scripts/setup does)";
  }
  TempDir dir_{"check-report"};
};

}  // namespace

// --- JUnit XML ---------------------------------------------------------------------------

TEST_F(CheckReportJunitTest, WritesOneTestcasePerVariantInAFileTheSchemaAccepts) {
  std::string report = dir_.file("report.xml");
  auto r = run_cli({"check", "semaphore", "lock", "--junit", report});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_TRUE(schema_accepts(report));

  std::vector<std::string> semaphore = variants_of("semaphore"), lock = variants_of("lock");
  std::size_t total = semaphore.size() + lock.size();
  ASSERT_GT(semaphore.size(), 0u);
  EXPECT_EQ(xpath(report, "count(/testsuites/testsuite)"), "1");
  EXPECT_EQ(xpath(report, "string(/testsuites/testsuite/@name)"), "concur check");
  for (const char* element : {"/testsuites", "/testsuites/testsuite"}) {
    std::string at = std::string(element) + "/@";
    EXPECT_EQ(xpath(report, "string(" + at + "tests)"), std::to_string(total)) << element;
    EXPECT_EQ(xpath(report, "string(" + at + "failures)"), "0") << element;
    EXPECT_EQ(xpath(report, "string(" + at + "errors)"), "0") << element;
    EXPECT_EQ(xpath(report, "string(" + at + "skipped)"), "0") << element;
  }
  EXPECT_EQ(xpath(report, "count(//testcase)"), std::to_string(total));
  for (const auto& v : semaphore)
    EXPECT_EQ(xpath(report, "string(//testcase[@name='semaphore:" + v + "']/@classname)"), "semaphore") << v;
  for (const auto& v : lock) EXPECT_EQ(xpath(report, "count(//testcase[@name='lock:" + v + "'])"), "1") << v;
  // Passed cases carry no output; the table is still printed.
  EXPECT_EQ(xpath(report, "count(//system-out)"), "0");
  EXPECT_EQ(lines_of(r.out).back(), std::to_string(total) + " passed, 0 failed");
}

TEST_F(CheckReportJunitTest, AFailedCheckIsAFailureWithItsCheckLineAndTheRunsOutput) {
  std::string report = dir_.file("report.xml");
  auto r = run_cli({"check", "--timeout", "0.001", "lock", "--junit", report});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  ASSERT_TRUE(schema_accepts(report));

  const std::string coarse = "//testcase[@name='lock:coarse']";
  EXPECT_EQ(xpath(report, "string(" + coarse + "/failure/@message)"),
            "exit 3: concur: watchdog: 'lock' was still running after 0.001 s and was stopped");
  EXPECT_EQ(xpath(report, "string(" + coarse + "/failure/@type)"), "exit 3");
  EXPECT_THAT(xpath(report, "string(" + coarse + "/system-out)"), HasSubstr("concur: watchdog: 'lock'"));
  // The failure's text (what GitLab shows) starts with the check line, the output after it.
  EXPECT_THAT(xpath(report, "string(" + coarse + "/failure)"), StartsWith("exit 3: concur: watchdog: 'lock'"));
  std::string failures = xpath(report, "string(/testsuites/testsuite/@failures)");
  EXPECT_EQ(failures, xpath(report, "count(//testcase[failure])"));
  EXPECT_EQ(xpath(report, "count(//testcase[failure])"), xpath(report, "count(//testcase[system-out])"));
  EXPECT_EQ(xpath(report, "string(/testsuites/@failures)"), failures);
}

// Every variant runs deterministically now, so none is skipped (how a skipped one is
// written is checked on made-up results: EscapesMarkupAndReplacesWhatXmlCannotHold).
TEST_F(CheckReportJunitTest, UnderDeterministicTheSocketDemoRunsAndIsNotSkipped) {
  std::string report = dir_.file("report.xml");
  auto r = run_cli({"check", "--deterministic", "hybrid", "semaphore", "--junit", report});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  ASSERT_TRUE(schema_accepts(report));
  EXPECT_EQ(xpath(report, "string(/testsuites/testsuite/@skipped)"), "0");
  EXPECT_EQ(xpath(report, "string(/testsuites/testsuite/@tests)"), std::to_string(1 + variants_of("semaphore").size()));
  EXPECT_EQ(xpath(report, "count(//testcase[@name='hybrid:hybrid']/skipped)"), "0");
  EXPECT_EQ(xpath(report, "count(//testcase[@name='hybrid:hybrid']/failure)"), "0");
}

TEST_F(CheckReportJunitTest, ABadPathIsBadUsageInOneLineBeforeAnythingRunsAndLeavesNothing) {
  for (const std::string& path : {dir_.file("missing/report.xml"), dir_.path(), std::string("/proc/report.xml")}) {
    auto start = Clock::now();
    auto r = run_cli({"check", "semaphore", "--junit", path});
    EXPECT_LT(seconds_since(start), 1.0) << path;
    EXPECT_EQ(r.code, 2) << path;
    EXPECT_EQ(r.out, "") << path;  // no demo ran: the table prints a line per run
    ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, StartsWith("concur: --junit: cannot write '" + path + "': ")) << r.err;
  }
  EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
}

TEST_F(CheckReportJunitTest, AFileThatCannotBeWrittenAfterTheRunsIsExitOneInOneLine) {
  auto r = run_cli({"check", "semaphore", "--junit", "/dev/full"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_EQ(r.err, "concur: --junit: cannot write '/dev/full': No space left on device\n");
}

TEST_F(CheckReportJunitTest, ReplacesAnExistingReportWholeAndLeavesNoTemporaryFile) {
  std::string report = dir_.file("report.xml");
  std::ofstream(report) << "the last run's report\n";
  auto r = run_cli({"check", "semaphore", "--junit", report});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(slurp(report), StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
  EXPECT_THAT(dir_.entries(), ::testing::ElementsAre("report.xml"));
}

TEST_F(CheckReportJunitTest, CombinesWithTapOnStandardOutput) {
  std::string report = dir_.file("report.xml");
  auto r = run_cli({"check", "--tap", "--junit", report, "semaphore"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, StartsWith("TAP version 14\n"));
  EXPECT_TRUE(schema_accepts(report));
  EXPECT_EQ(xpath(report, "count(//testcase)"), std::to_string(test_points(r.out).size()));
}

TEST_F(CheckReportJunitTest, EscapesMarkupAndReplacesWhatXmlCannotHold) {
  CheckResult failed{.demo = "a&b",
                     .variant = "<v>",
                     .outcome = CheckResult::Outcome::kFailed,
                     .exit_code = 1,
                     .seconds = 0.5,
                     .message = "\"quoted\" & 'single' <tag> \x01\x1b[31m bad \xff byte",
                     .output = std::string("line 1\n\tline 2 \0 ]]> end\r\n", 26)};
  CheckResult skipped{.demo = "d",
                      .variant = "v",
                      .outcome = CheckResult::Outcome::kSkipped,
                      .message = "two\nlines \xe2\x9c\x93"};  // U+2713, kept
  std::string report = dir_.file("made-up.xml");
  std::ofstream(report) << concur::cli::junit_xml({failed, skipped});
  ASSERT_TRUE(schema_accepts(report));
  EXPECT_EQ(xpath(report, "string(//testcase[1]/@classname)"), "a&b");
  EXPECT_EQ(xpath(report, "string(//testcase[1]/@name)"), "a&b:<v>");
  EXPECT_EQ(xpath(report, "string(//testcase[1]/failure/@message)"),
            "\"quoted\" & 'single' <tag> \uFFFD\uFFFD[31m bad \uFFFD byte");
  EXPECT_EQ(xpath(report, "string(//testcase[1]/system-out)"), "line 1\n\tline 2 \uFFFD ]]> end\r\n");
  EXPECT_EQ(xpath(report, "string(//testcase[2]/skipped/@message)"), "two\nlines \u2713");
  EXPECT_EQ(xpath(report, "string(//testcase[2]/@time)"), "0.000");
  EXPECT_EQ(xpath(report, "string(/testsuites/@time)"), "0.500");
}

// --- TAP version 14 ----------------------------------------------------------------------

TEST(CheckReportTapTest, PrintsTheVersionThePlanAndOneTestPointPerVariantInOrder) {
  auto r = run_cli({"check", "--tap", "semaphore", "lock"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> names;
  for (const auto& v : variants_of("semaphore")) names.push_back("semaphore:" + v);
  for (const auto& v : variants_of("lock")) names.push_back("lock:" + v);
  auto lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "TAP version 14");
  EXPECT_EQ(lines[1], "1.." + std::to_string(names.size()));
  auto points = test_points(r.out);
  ASSERT_EQ(points.size(), names.size()) << r.out;
  for (std::size_t i = 0; i < names.size(); ++i)
    EXPECT_THAT(points[i], StartsWith("ok " + std::to_string(i + 1) + " - " + names[i] + " # ")) << r.out;
  EXPECT_EQ(lines.back(), "# " + std::to_string(names.size()) + " passed, 0 failed");
}

TEST(CheckReportTapTest, AFailedCheckIsNotOkWithAYamlDiagnosticAndExitsOne) {
  auto r = run_cli({"check", "--tap", "--timeout", "0.001", "lock"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  auto lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 7u) << r.out;
  EXPECT_EQ(lines[1], "1.." + std::to_string(variants_of("lock").size()));
  EXPECT_EQ(test_points(r.out).size(), variants_of("lock").size());
  EXPECT_EQ(lines[2], "not ok 1 - lock:coarse");
  EXPECT_EQ(lines[3], "  ---");
  EXPECT_EQ(lines[4],
            "  message: \"exit 3: concur: watchdog: 'lock' was still running after 0.001 s and was stopped\"");
  EXPECT_EQ(lines[5], "  severity: fail");
  EXPECT_EQ(lines[6], "  exit_code: 3");
  // The block ends before the next test point, every line of it indented.
  std::size_t end = 3;
  while (end < lines.size() && lines[end] != "  ...") {
    EXPECT_THAT(lines[end], StartsWith("  ")) << r.out;
    ++end;
  }
  ASSERT_LT(end + 1, lines.size()) << r.out;
  EXPECT_THAT(lines[end + 1], ::testing::MatchesRegex("(not )?ok 2 - lock:fine.*"));
}

TEST(CheckReportTapTest, UnderDeterministicTheSocketDemoIsOkWithoutASkipDirective) {
  auto r = run_cli({"check", "--tap", "--deterministic", "hybrid", "semaphore"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  auto points = test_points(r.out);
  ASSERT_EQ(points.size(), 1 + variants_of("semaphore").size()) << r.out;
  EXPECT_THAT(points[0], StartsWith("ok 1 - hybrid:hybrid # "));
  EXPECT_THAT(points[0], Not(HasSubstr("SKIP")));
  EXPECT_THAT(lines_of(r.out).back(), Not(HasSubstr("skipped")));
}

TEST(CheckReportTapTest, EscapesTheDescriptionAndQuotesTheDiagnosticsAsYaml) {
  CheckResult r{.demo = "a#b",
                .variant = "c\\d",
                .outcome = CheckResult::Outcome::kFailed,
                .exit_code = 1,
                .seconds = 0.25,
                .message = "said \"no\"\tthen \x1b",
                .output = "  indented\nplain\n"};
  EXPECT_EQ(concur::cli::tap_test_point(r, 7),
            "not ok 7 - a\\#b:c\\\\d\n"
            "  ---\n"
            "  message: \"said \\\"no\\\"\\tthen \uFFFD\"\n"
            "  severity: fail\n"
            "  exit_code: 1\n"
            "  seconds: 0.25\n"
            "  output: |2\n"
            "      indented\n"
            "    plain\n"
            "  ...\n");
  r.outcome = CheckResult::Outcome::kPassed;
  r.message = "two\nlines";
  EXPECT_EQ(concur::cli::tap_test_point(r, 1), "ok 1 - a\\#b:c\\\\d # 0.25 s: two lines\n");
  r.outcome = CheckResult::Outcome::kSkipped;
  EXPECT_EQ(concur::cli::tap_test_point(r, 2), "ok 2 - a\\#b:c\\\\d # SKIP two lines\n");
  EXPECT_EQ(concur::cli::tap_bail_out(r), "Bail out! two lines\n");
}

// --- The table ---------------------------------------------------------------------------

TEST(CheckReportTableTest, PrintsOneAlignedLinePerRunAndASummary) {
  CheckResult passed{.demo = "lock", .variant = "fine", .seconds = 0.123, .message = "held"};
  CheckResult failed{.demo = "lock", .variant = "coarse", .outcome = CheckResult::Outcome::kFailed, .message = "not"};
  CheckResult skipped{.demo = "fork", .variant = "fork", .outcome = CheckResult::Outcome::kSkipped, .message = "why"};
  EXPECT_EQ(concur::cli::table_line(passed), "ok     lock:fine                     0.12 s  held\n");
  EXPECT_EQ(concur::cli::table_line(failed), "FAILED lock:coarse                   0.00 s  not\n");
  EXPECT_EQ(concur::cli::table_line(skipped), "skip   fork:fork                             why\n");
  EXPECT_EQ(concur::cli::table_summary({passed, failed, skipped}),
            "1 passed, 1 failed, 1 skipped (they cannot run deterministically)\n");
  EXPECT_EQ(concur::cli::table_summary({passed}), "1 passed, 0 failed\n");
}

// --- Completion of the report's file name --------------------------------------------------

TEST(CheckReportCompletionTest, BashAndZshCompleteAFileNameAfterJunit) {
  TempDir dir{"check-report"};
  std::ofstream(dir.file("report.xml")) << "";
  std::string args = " _ " + shell_quoted(std::string(CONCUR_SOURCE_DIR) + "/completions/") + " " +
                     shell_quoted(CONCUR_BINARY) + " " + shell_quoted(dir.path()) + " 2>&1 </dev/null";
  Ran bash = run_sh("bash -c " +
                    shell_quoted("cd \"$3\"; source \"$1/concur.bash\"; COMP_WORDS=(\"$2\" check --junit rep); "
                                 "COMP_CWORD=3; _concur; printf '%s\\n' \"${COMPREPLY[@]}\"") +
                    args);
  EXPECT_EQ(bash.out, "report.xml\n");
  if (access("/bin/zsh", X_OK) != 0) GTEST_SKIP() << "no zsh to run completions/_concur";
  // The completion system's _files stubbed: it says it was asked.
  Ran zsh = run_sh("/bin/zsh -f -c " +
                   shell_quoted("_files() { print -r -- 'file names'; }; words=(\"$2\" check --junit ''); "
                                "CURRENT=4; PREFIX=''; source \"$1/_concur\"") +
                   args);
  EXPECT_EQ(zsh.out, "file names\n");
}
