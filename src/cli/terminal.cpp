#include "cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace concur::cli {

namespace {

// A positive whole number from the environment variable `name`, else `fallback`.
int positive_env(const char* name, int fallback) {
  const char* value = std::getenv(name);
  if (!value || !*value) return fallback;
  char* end = nullptr;
  long n = std::strtol(value, &end, 10);
  return *end == '\0' && n > 0 && n < 100000 ? static_cast<int>(n) : fallback;
}

}  // namespace

std::pair<int, int> terminal_size() {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
    return {ws.ws_col, ws.ws_row};
  return {positive_env("COLUMNS", 80), positive_env("LINES", 24)};
}

std::size_t display_columns(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && s[i] != 'm') ++i;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

std::string first_columns(const std::string& s, std::size_t n) {
  std::size_t i = 0, seen = 0;
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == n) break;
  return s.substr(0, i);
}

}  // namespace concur::cli
