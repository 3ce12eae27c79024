#include "cli/check_report.h"

#include <fmt/format.h>

#include <string_view>

namespace concur::cli {

namespace {

using Outcome = CheckResult::Outcome;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD, UTF-8

// The length of the UTF-8 sequence that byte `lead` begins (1 to 4), or 0 when it begins none.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 0;
}

// `text` with every byte sequence that is not UTF-8 (a stray byte, an overlong form, a
// surrogate, past U+10FFFF) and every character XML 1.0 and YAML cannot hold (C0 controls
// but tab, newline and carriage return; DEL; the C1 controls; U+FFFE, U+FFFF) replaced by
// U+FFFD.
std::string printable_text(std::string_view text) {
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};  // by sequence length
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};      // by length: no overlong forms
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = sequence_length(lead);
    char32_t c = lead & kLeadBits[length];
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      c = (c << 6) | (next & 0x3F);
    }
    valid = valid && c >= kSmallest[length] && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
    bool printable = valid && (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) ||
                               (c >= 0xA0 && c != 0xFFFE && c != 0xFFFF));
    if (printable)
      out.append(text.substr(i, length));
    else
      out.append(kReplacement);
    i += valid ? length : 1;
  }
  return out;
}

// printable_text() on one line: tabs, newlines and carriage returns become spaces.
std::string one_line(std::string_view text) {
  std::string line = printable_text(text);
  for (char& c : line)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return line;
}

// --- XML ---

// `text` as XML character data or, with `in_attribute`, as a value between double quotes
// (where tab, newline and carriage return are written as references, or a reader would
// turn them into spaces).
std::string xml_escaped(std::string_view text, bool in_attribute = false) {
  std::string out;
  for (char c : printable_text(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string seconds_text(double seconds) { return fmt::format("{:.3f}", seconds < 0 ? 0.0 : seconds); }

struct Tally {
  std::size_t passed = 0, failed = 0, skipped = 0;
  double seconds = 0;
};

Tally tally(const std::vector<CheckResult>& results) {
  Tally t;
  for (const CheckResult& r : results) {
    (r.outcome == Outcome::kPassed ? t.passed : r.outcome == Outcome::kFailed ? t.failed : t.skipped) += 1;
    t.seconds += r.seconds;
  }
  return t;
}

// The attributes both suite elements carry: the counts and the time.
std::string suite_counts(const std::vector<CheckResult>& results) {
  Tally t = tally(results);
  return fmt::format(R"(tests="{}" failures="{}" errors="0" skipped="{}" time="{}")", results.size(), t.failed,
                     t.skipped, seconds_text(t.seconds));
}

std::string junit_testcase(const CheckResult& r) {
  std::string head = fmt::format(R"(    <testcase classname="{}" name="{}" time="{}")", xml_escaped(r.demo, true),
                                 xml_escaped(r.name(), true), seconds_text(r.seconds));
  switch (r.outcome) {
    case Outcome::kPassed:
      return head + "/>\n";
    case Outcome::kSkipped:
      return head + fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml_escaped(r.message, true));
    case Outcome::kFailed:
      break;
  }
  std::string output = xml_escaped(r.output);
  std::string details = xml_escaped(r.message) + (output.empty() ? "" : "\n\n" + output);
  return head + fmt::format(
                    ">\n      <failure message=\"{}\" type=\"exit {}\">{}</failure>\n"
                    "      <system-out>{}</system-out>\n    </testcase>\n",
                    xml_escaped(r.message, true), r.exit_code, details, output);
}

// --- TAP ---

// A test point's description: one line, '\' and '#' escaped.
std::string tap_description(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '\\' || c == '#') out += '\\';
    out += c;
  }
  return out;
}

// `text` as a YAML double-quoted scalar.
std::string yaml_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : printable_text(text)) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// `text` as a YAML literal block under a key of the diagnostic (its lines indented by two
// more than the key, as the "|2" header says, so that a line starting with spaces reads
// right), each line with the TAP block's own two spaces in front. Carriage returns are
// dropped.
std::string yaml_literal_lines(std::string_view text) {
  std::string clean = printable_text(text), out;
  if (!clean.empty() && clean.back() == '\n') clean.pop_back();
  std::size_t start = 0;
  while (start <= clean.size()) {
    std::size_t end = clean.find('\n', start);
    if (end == std::string::npos) end = clean.size();
    std::string line = clean.substr(start, end - start);
    std::erase(line, '\r');
    out += "    " + line + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string table_line(const CheckResult& r) {
  if (r.outcome == Outcome::kSkipped) return fmt::format("{:<7}{:<28}{:>6}    {}\n", "skip", r.name(), "", r.message);
  return fmt::format("{:<7}{:<28}{:>6.2f} s  {}\n", r.outcome == Outcome::kPassed ? "ok" : "FAILED", r.name(),
                     r.seconds, r.message);
}

std::string table_summary(const std::vector<CheckResult>& results) {
  Tally t = tally(results);
  return fmt::format("{} passed, {} failed{}\n", t.passed, t.failed,
                     t.skipped ? fmt::format(", {} skipped (they cannot run deterministically)", t.skipped) : "");
}

std::string tap_header(std::size_t planned) { return fmt::format("TAP version 14\n1..{}\n", planned); }

std::string tap_test_point(const CheckResult& r, std::size_t number) {
  std::string point =
      fmt::format("{} {} - {}", r.outcome == Outcome::kFailed ? "not ok" : "ok", number, tap_description(r.name()));
  switch (r.outcome) {
    case Outcome::kPassed:
      return point + fmt::format(" # {:.2f} s: {}\n", r.seconds, one_line(r.message));
    case Outcome::kSkipped:
      return point + " # SKIP " + one_line(r.message) + "\n";
    case Outcome::kFailed:
      break;
  }
  std::string block = "  ---\n  message: " + yaml_quoted(r.message) + "\n  severity: fail\n" +
                      fmt::format("  exit_code: {}\n  seconds: {:.2f}\n", r.exit_code, r.seconds);
  if (!r.output.empty()) block += "  output: |2\n" + yaml_literal_lines(r.output);
  return point + "\n" + block + "  ...\n";
}

std::string tap_bail_out(const CheckResult& r) { return "Bail out! " + one_line(r.message) + "\n"; }

std::string tap_summary(const std::vector<CheckResult>& results) { return "# " + table_summary(results); }

std::string junit_xml(const std::vector<CheckResult>& results) {
  std::string counts = suite_counts(results);
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"concur\" " + counts + ">\n";
  xml += "  <testsuite name=\"concur check\" " + counts + ">\n";
  for (const CheckResult& r : results) xml += junit_testcase(r);
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace concur::cli
