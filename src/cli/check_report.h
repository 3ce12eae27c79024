// What `concur check` ran, reported three ways: the table it prints by default, TAP version
// 14 on stdout (--tap), and a JUnit XML file (--junit FILE), the formats GitLab, Jenkins and
// GitHub's test reporters read, so that a CI system shows each demo variant as a test.
//
// cmd_check.cpp runs the variants and collects one CheckResult per variant; the functions
// here only format them. None of them writes anywhere or throws.
//
// Text from a run (a check's message, what the demo printed) is made safe for each format:
// a byte sequence that is not UTF-8 and a character XML 1.0 or YAML cannot hold (a control
// character other than tab, newline and carriage return, such as a colour's ESC) become
// U+FFFD; the rest is escaped as the format requires.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace concur::cli {

// One variant's run, as `check` saw it.
struct CheckResult {
  enum class Outcome { kPassed, kFailed, kSkipped };

  std::string demo;     // "semaphore"
  std::string variant;  // "event"
  Outcome outcome = Outcome::kPassed;
  int exit_code = 0;    // the run's exit code: 0 held, 1 check failed, 3 watchdog, 130 interrupted...
  double seconds = 0;   // real time the run took; 0 when skipped
  std::string message;  // the check line (the check's message, or "exit 3: <stderr's last line>");
                        // when skipped, why the variant cannot run
  std::string output;   // what the run printed: its stdout, then its stderr

  // "semaphore:event": the name every report gives the run.
  std::string name() const { return demo + ":" + variant; }
};

// --- The table (no option) ---------------------------------------------------------------

// One line of the table: "ok     semaphore:event               0.12 s  MESSAGE\n", "FAILED"
// for a failed run, "skip" (and no time) for a skipped one.
std::string table_line(const CheckResult& result);

// The closing line: "9 passed, 1 failed\n", with ", 2 skipped (...)" when any was skipped.
std::string table_summary(const std::vector<CheckResult>& results);

// --- TAP version 14 (--tap) --------------------------------------------------------------

// The first two lines: "TAP version 14\n1..PLANNED\n". PLANNED is every variant that will be
// reported, skipped ones included.
std::string tap_header(std::size_t planned);

// Test point NUMBER (from 1) for `result`, one line and, for a failure, a YAML block:
//   ok 1 - semaphore:event # 0.12 s: MESSAGE
//   ok 2 - fork:fork # SKIP WHY
//   not ok 3 - lock:coarse
//     ---
//     message: "exit 3: concur: watchdog: ..."
//     severity: fail
//     exit_code: 3
//     seconds: 0.05
//     output: |2
//       what the run printed
//     ...
// In the description, '\' and '#' are escaped ("\\", "\#") as TAP 14 asks.
std::string tap_test_point(const CheckResult& result, std::size_t number);

// "Bail out! MESSAGE\n": the line that ends the stream when a run was interrupted (Ctrl-C,
// a signal, stdout's reader gone) and `check` stops before its plan is done.
std::string tap_bail_out(const CheckResult& result);

// The closing comment: "# " then table_summary().
std::string tap_summary(const std::vector<CheckResult>& results);

// --- JUnit XML (--junit FILE) ------------------------------------------------------------

// The whole document, in the shape Jenkins' and GitLab's JUnit readers accept (and
// tests/junit.xsd describes):
//   <testsuites name="concur" tests= failures= errors="0" skipped= time=>
//     <testsuite name="concur check" ...same counts...>
//       <testcase classname="DEMO" name="DEMO:VARIANT" time="SECONDS"/>     passed
//       <testcase ...><failure message="CHECK LINE" type="exit N">CHECK LINE + OUTPUT</failure>
//                     <system-out>OUTPUT</system-out></testcase>           failed
//       <testcase ... time="0"><skipped message="WHY"/></testcase>         skipped
// A failure's output is in <system-out> (Jenkins, GitHub's reporters) and in the failure's
// text too, which is what GitLab shows (it reads no <system-out>). Times are real seconds
// with three decimals; the suites' time is the sum of their cases'.
std::string junit_xml(const std::vector<CheckResult>& results);

}  // namespace concur::cli
