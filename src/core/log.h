// Lecture logging: Python's `logging` on spdlog.
//
// `basic_config(INFO, "%(asctime)s %(threadName)-17s %(levelname)-8s %(message)s")` takes
// the lecture's own LOG_FORMAT and prints exactly what Python's logging would:
//   2019-01-27 19:21:19,354 Thread-1          INFO     Consumer is waiting
// asctime is the lecture clock (comma, milliseconds truncated), threadName is the core's
// Python-style name, levelname is in capitals; `-17` pads on the right and never
// truncates. The fields become spdlog custom flags; lines go through the same
// line-atomic output as print().
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace concur::logging {

enum Level { DEBUG = 10, INFO = 20, WARNING = 30, ERROR = 40 };

// Sets the level and the Python-style format for this run's log lines.
// Supported fields: asctime, threadName, levelname, message, process, thread, name.
// Throws ValueError on an unknown field.
void basic_config(Level level, const std::string& python_format);

// The spdlog pattern a Python format translates to (exposed for tests).
std::string to_spdlog_pattern(const std::string& python_format);

// Logs one line at `level` from the calling thread, now.
void log(Level level, std::string_view message);

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  log(INFO, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  log(DEBUG, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void warning(fmt::format_string<Args...> format, Args&&... args) {
  log(WARNING, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  log(ERROR, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace concur::logging
