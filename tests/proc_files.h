// Reading /proc for the tests that follow the processes a run makes (test_hygiene.cpp,
// test_stop_sweep.cpp): a process's state, parent and group, its command line, and a marker
// in its environment, which fork, spawn and the forkserver all pass on.
#pragma once

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

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

// What /proc/PID/stat says of a process.
struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  pid_t sid = 0;
  char state = '?';  // 'Z': a zombie
};

inline std::optional<ProcInfo> proc_info(pid_t pid) {
  std::string stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 2));
  ProcInfo p;
  p.pid = pid;
  rest >> p.state >> p.ppid >> p.pgid >> p.sid;
  if (!rest) return std::nullopt;
  return p;
}

// Every process there is now.
inline std::vector<ProcInfo> all_processes() {
  std::vector<ProcInfo> found;
  DIR* d = opendir("/proc");
  if (!d) return found;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (auto p = proc_info(static_cast<pid_t>(pid))) found.push_back(*p);
  }
  closedir(d);
  return found;
}

// Whether the environment of `pid` holds `marker` (NAME=VALUE). A zombie's reads empty.
inline bool has_marker(pid_t pid, const std::string& marker) {
  std::string env = read_small_file("/proc/" + std::to_string(pid) + "/environ");
  std::string needle = marker + '\0';
  return env.starts_with(needle) || env.find('\0' + needle) != std::string::npos;
}

// The live processes other than the test whose environment holds `marker`.
inline std::vector<pid_t> processes_with(const std::string& marker) {
  std::vector<pid_t> found;
  for (const auto& p : all_processes())
    if (p.pid != getpid() && has_marker(p.pid, marker)) found.push_back(p.pid);
  return found;
}

}  // namespace concur::testing
