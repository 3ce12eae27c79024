// Golden tests: every demo and variant, run with --deterministic --seed 1, prints exactly the
// bytes checked in as tests/golden/DEMO__VARIANT.out (stdout: the Watch line, the lecture's
// lines, the check line), exits 0 and writes nothing to stderr (or exactly
// DEMO__VARIANT.err, a file that exists only when a demo does write there). So does each
// variant with each other value of a choice option it reads, as
// DEMO__VARIANT__OPTION-VALUE.out (pool__map__executor-process.out).
//
// A variant that cannot run deterministically would have no golden file; GoldenRefusalTest
// checks that each such one refuses with the table's reason (none does today).
//
// Accepting new output is one command, `make golden`: it runs this suite with
// CONCUR_UPDATE_GOLDEN=1, which writes the files instead of comparing them, then shows
// `git status --short tests/golden`.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "demos/demo.h"

using namespace concur::testing;
using ::testing::EndsWith;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string demo;
  std::string variant;
  std::string not_deterministic;  // the table's reason the CLI refuses it; empty: it runs
  std::string option = "";        // a choice option given a value other than its default
  std::string value = "";         // ("executor", "process"); empty: the defaults
};
void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.demo << " --variant " << c.variant;
  if (!c.option.empty()) *os << " --" << c.option << " " << c.value;
}

// Why the CLI refuses `--deterministic` for this variant with its default options; empty if it runs.
std::string refusal_reason(const concur::demos::Demo& demo, const concur::demos::Variant& variant) {
  if (!demo.not_deterministic.empty()) return demo.not_deterministic;
  if (!variant.not_deterministic.empty()) return variant.not_deterministic;
  for (const auto& o : demo.choice_options)
    if (auto it = o.not_deterministic.find(o.values.front()); it != o.not_deterministic.end()) return it->second;
  return "";
}

// Every variant in the table, with its refusal reason (if any); then each variant that reads
// a choice option once with each of the option's other values (pool --executor process,
// spawn --start-method forkserver), refused if the table says that value cannot run.
std::vector<GoldenCase> all_cases() {
  std::vector<GoldenCase> cases;
  for (const auto& demo : concur::demos::table())
    for (const auto& v : demo.variants) cases.push_back({demo.name, v.name, refusal_reason(demo, v)});
  for (const auto& demo : concur::demos::table())
    for (const auto& o : demo.choice_options)
      for (const auto& v : demo.variants) {
        if (!o.flag.empty() || (!o.variants.empty() && std::find(o.variants.begin(), o.variants.end(), v.name) ==
                                                           o.variants.end()))
          continue;
        for (std::size_t i = 1; i < o.values.size(); ++i) {
          GoldenCase c{demo.name, v.name, refusal_reason(demo, v), o.name, o.values[i]};
          if (auto it = o.not_deterministic.find(c.value); c.not_deterministic.empty() && it != o.not_deterministic.end())
            c.not_deterministic = it->second;
          cases.push_back(c);
        }
      }
  return cases;
}

// The variants that run deterministically: one golden test each.
std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> cases;
  for (const auto& c : all_cases())
    if (c.not_deterministic.empty()) cases.push_back(c);
  return cases;
}

// The golden files' name: DEMO__VARIANT, or DEMO__VARIANT__OPTION-VALUE.
std::string stem_of(const GoldenCase& c) {
  return c.demo + "__" + c.variant + (c.option.empty() ? "" : "__" + c.option + "-" + c.value);
}

// "threads__my_func", "pool__map__executor_process": a valid gtest name ('-' is not allowed).
std::string test_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name = stem_of(info.param);
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

fs::path golden_dir() { return fs::path(CONCUR_SOURCE_DIR) / "tests" / "golden"; }
fs::path golden_path(const GoldenCase& c, const char* ext) {
  return golden_dir() / (stem_of(c) + ext);
}

bool updating() {
  const char* v = std::getenv("CONCUR_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

CliResult run_deterministic(const std::string& demo, const std::string& variant, const std::string& seed = "1") {
  return run_cli({"demo", demo, "--variant", variant, "--deterministic", "--seed", seed, "--color", "never"});
}

CliResult run_deterministic(const GoldenCase& c) {
  std::vector<std::string> args = {"demo", c.demo, "--variant", c.variant};
  if (!c.option.empty()) args.insert(args.end(), {"--" + c.option, c.value});
  for (const char* a : {"--deterministic", "--seed", "1", "--color", "never"}) args.push_back(a);
  return run_cli(args);
}

// The file's bytes, or "" when it does not exist.
std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `path` when it differs; an empty `text` removes the file instead.
// Says which file it wrote or removed.
void write_file(const fs::path& path, const std::string& text) {
  std::string name = fs::relative(path, CONCUR_SOURCE_DIR).string();
  if (text.empty()) {
    if (fs::remove(path)) std::cout << "golden: removed " << name << "\n";
    return;
  }
  if (fs::exists(path) && read_file(path) == text) return;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  std::cout << "golden: wrote " << name << "\n";
}

// A short unified-style diff: the one hunk between the common first and last lines, two
// lines of context before it, at most five expected (-) and five actual (+) lines.
std::string short_diff(const std::string& expected, const std::string& actual, const fs::path& path) {
  auto want = lines_of(expected), got = lines_of(actual);
  std::size_t first = 0, tail = 0;
  while (first < want.size() && first < got.size() && want[first] == got[first]) ++first;
  while (tail < want.size() - first && tail < got.size() - first &&
         want[want.size() - 1 - tail] == got[got.size() - 1 - tail])
    ++tail;
  std::ostringstream d;
  d << "--- " << fs::relative(path, CONCUR_SOURCE_DIR).string() << " (expected, " << want.size() << " lines)\n"
    << "+++ actual (" << got.size() << " lines)\n"
    << "@@ first difference at line " << first + 1 << " @@\n";
  for (std::size_t i = first >= 2 ? first - 2 : 0; i < first; ++i) d << " " << want[i] << "\n";
  auto hunk = [&](const std::vector<std::string>& lines, char mark) {
    std::size_t end = lines.size() - tail;
    for (std::size_t i = first; i < end && i < first + 5; ++i) d << mark << lines[i] << "\n";
    if (end > first + 5) d << mark << "... (" << end - first - 5 << " more)\n";
  };
  hunk(want, '-');
  hunk(got, '+');
  if (first == want.size() && first == got.size()) d << "(the lines agree; the bytes differ, e.g. the last newline)\n";
  d << "run `make golden` to accept the new output";
  return d.str();
}

// Compares `actual` with the golden file at `path` (absent: ""), or writes it when updating.
void expect_golden(const fs::path& path, const std::string& actual) {
  if (updating()) {
    write_file(path, actual);
    return;
  }
  std::string expected = read_file(path);
  if (expected != actual) ADD_FAILURE() << short_diff(expected, actual, path);
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {
 protected:
  void SetUp() override { prepare_process_demos(); }
};

TEST_P(GoldenTest, MatchesExpectedOutput) {
  const GoldenCase& c = GetParam();
  CliResult r = run_deterministic(c);
  EXPECT_EQ(r.code, 0) << r.err;
  expect_golden(golden_path(c, ".out"), r.out);
  expect_golden(golden_path(c, ".err"), r.err);
}

INSTANTIATE_TEST_SUITE_P(, GoldenTest, ::testing::ValuesIn(golden_cases()), test_name);

// Each variant that cannot run deterministically refuses: exit 2, nothing on stdout, one
// stderr line ending with the table's reason. (Checked here, not as skipped golden cases.)
TEST(GoldenRefusalTest, EveryVariantThatCannotRunDeterministicallySaysWhyAndAtMostThreeDo) {
  int refused = 0;
  for (const GoldenCase& c : all_cases()) {
    if (c.not_deterministic.empty()) continue;
    SCOPED_TRACE(stem_of(c));
    CliResult r = run_deterministic(c);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("cannot run deterministically"));
    EXPECT_THAT(r.err, EndsWith(c.not_deterministic + "\n"));
    ++refused;
  }
  EXPECT_LE(refused, 3) << "issue 20: at most three variants may refuse --deterministic";
}

// Every golden file belongs to a variant this suite runs (a renamed variant leaves none
// behind); when updating, such leftovers are removed.
TEST(GoldenFilesTest, EveryFileBelongsToAVariantThatRunsDeterministically) {
  std::set<std::string> expected;
  for (const auto& c : golden_cases()) expected.insert(stem_of(c));
  if (!fs::is_directory(golden_dir())) return;
  for (const auto& entry : fs::directory_iterator(golden_dir())) {
    std::string stem = entry.path().stem().string();
    if (expected.count(stem)) continue;
    if (updating())
      write_file(entry.path(), "");
    else
      ADD_FAILURE() << "tests/golden/" << entry.path().filename().string()
                    << " belongs to no deterministic demo variant; run `make golden` to remove it";
  }
}

// The same seed in one process gives the same bytes: nothing carries over from run to run.
TEST(DeterministicRunTest, SameSeedTwiceInOneProcessPrintsTheSameBytes) {
  for (const auto& [demo, variant] : std::vector<std::pair<std::string, std::string>>{
           {"philosophers", "naive"}, {"race", "unsafe"}, {"threads", "numbers-letters"}}) {
    CliResult first = run_deterministic(demo, variant);
    CliResult second = run_deterministic(demo, variant);
    ASSERT_EQ(first.code, 0) << demo << " " << variant << ": " << first.err;
    EXPECT_EQ(first.out, second.out) << demo << " " << variant;
    EXPECT_EQ(first.err, second.err) << demo << " " << variant;
  }
}

// Another seed, another interleaving: the race loses a different number of updates.
TEST(DeterministicRunTest, SeedsOneAndTwoGiveDifferentRaces) {
  CliResult one = run_deterministic("race", "unsafe", "1");
  CliResult two = run_deterministic("race", "unsafe", "2");
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_NE(one.out, two.out);
}

}  // namespace
