// Runs `concur ARGS...` in-process and captures what it writes: the fixture every CLI and
// demo smoke test uses.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/app.h"

namespace concur::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

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

// The lines of `text`.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
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

// Sets environment variable NAME to VALUE for the scope (inherited by the processes the test
// starts meanwhile), then puts back what was there, or nothing.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
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

// `text` as one /bin/sh word: in single quotes, its own single quotes escaped.
inline std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// What a /bin/sh command did: its exit status (-1 when it could not run or did not exit)
// and what it wrote on stdout (stderr too, if the command says 2>&1).
struct Shell {
  int status;
  std::string out;
};

inline Shell run_shell(const std::string& command) {
  Shell result{-1, ""};
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return result;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) result.out.append(buf, n);
  int status = ::pclose(p);
  if (status != -1 && WIFEXITED(status)) result.status = WEXITSTATUS(status);
  return result;
}

// A fresh temporary directory, $TMPDIR/concur-NAME-XXXXXX, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::string pattern = (std::filesystem::temp_directory_path() / ("concur-" + name + "-XXXXXX")).string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path_), {}));
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
