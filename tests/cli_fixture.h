// Runs `concur ARGS...` in-process and captures what it writes: the fixture every CLI and
// demo smoke test uses.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
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

}  // namespace concur::testing
