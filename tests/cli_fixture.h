// Runs `concur ARGS...` in-process and captures what it writes: the fixture every CLI and
// demo smoke test uses.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "cli/app.h"
#include "core/process/process.h"
#include "demos/process_targets.h"
#include "text_lines.h"

namespace concur::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

// What concur's main() does before any demo (src/main.cpp): register what a spawned child
// finds by name, and spawn the concur binary itself (this test binary has no `__child`).
// For tests that run spawn or process-pool demos in-process.
inline void prepare_process_demos() {
  concur::demos::register_process_targets();
  concur::process::set_executable(CONCUR_BINARY);
}

inline CliResult run_cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = concur::cli::run(args, out, err);
  return {code, out.str(), err.str()};
}

// Runs a demo variant with --fast and a fixed seed, quietly unless `quiet` is false.
inline CliResult run_demo(const std::string& name, const std::string& variant, std::vector<std::string> extra = {},
                          const std::string& seed = "1") {
  std::vector<std::string> args = {"demo", name, "--variant", variant, "--fast", "--seed", seed, "--color", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

// The demo's own lines: everything but concur's "Watch:" and "check:" lines.
inline std::vector<std::string> demo_lines(const std::string& out) {
  std::vector<std::string> lines;
  for (const auto& line : lines_of(out))
    if (!line.starts_with("Watch: ") && !line.starts_with("check: ")) lines.push_back(line);
  return lines;
}

// The first capture of `re` on every line that matches it whole, in order.
inline std::vector<std::string> captures(const std::string& out, const std::regex& re) {
  std::vector<std::string> found;
  std::smatch m;
  for (const auto& line : lines_of(out))
    if (std::regex_match(line, m, re)) found.push_back(m[1]);
  return found;
}

// Whether some line of `out` matches `pattern` whole (std::regex: gtest's POSIX
// ContainsRegex knows no \d).
inline bool has_line(const std::string& out, const std::string& pattern) {
  std::regex re(pattern);
  for (const auto& line : lines_of(out))
    if (std::regex_match(line, re)) return true;
  return false;
}

// A fixture for one demo's variants run through the CLI (--fast, seed 1): run() gives the
// check line, parsed; out() the whole output. A subclass names its demo:
//   class ManagerDemoTest : public DemoRunTest { protected: ManagerDemoTest() : DemoRunTest("manager") {} };
class DemoRunTest : public ::testing::Test {
 protected:
  explicit DemoRunTest(std::string demo) : demo_(std::move(demo)) {}
  struct Check {
    bool held;
    std::string message;
  };
  Check run(const std::string& variant) {
    result_ = run_demo(demo_, variant);
    std::smatch m;
    static const std::regex kCheck(R"((?:^|\n)check: (ok|FAILED) - ([^\n]*))");
    if (!std::regex_search(result_.out, m, kCheck)) return {false, "no check line: " + result_.out + result_.err};
    return {result_.code == 0 && m[1] == "ok", m[2]};
  }
  const std::string& out() const { return result_.out; }
  CliResult result_;

 private:
  std::string demo_;
};

// Sets environment variable NAME to VALUE (or unsets it, for nullopt) for the scope, inherited
// by the processes the test starts meanwhile; then puts back what was there, or nothing.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) ::setenv(name_.c_str(), value->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A fresh temporary directory, $TMPDIR/concur-NAME-XXXXXX, removed with everything in it
// (even if a test made it unwritable).
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::string pattern = (std::filesystem::temp_directory_path() / ("concur-" + name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "cannot make " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }
  // The names in it, sorted: what a run left there.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path path_;
};

// The whole text of the file at `path` ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace concur::testing
