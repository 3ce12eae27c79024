// Reading /proc for the tests that follow the processes a run makes (test_hygiene.cpp,
// test_stop_sweep.cpp).
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace concur::testing {

// The whole of a small file ("" if it cannot be read): /proc/PID/stat, environ, cmdline.
inline std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A process's command line, its arguments separated by spaces.
inline std::string cmdline_of(pid_t pid) {
  std::string c = read_small_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(c.begin(), c.end(), '\0', ' ');
  while (!c.empty() && c.back() == ' ') c.pop_back();
  return c;
}

}  // namespace concur::testing
