// Line-atomic output for demos: Python's print(), one whole line at a time.
//
// Every line a demo prints (print here, or a log line from logging.h) goes to the run's
// output stream under one mutex, so lines from different threads never interleave
// mid-line and appear in the order they were printed.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace concur {

struct ThreadState;

// Prints `line` and a newline as one unit, from the calling thread, now.
void print(std::string_view line);

// print(fmt::format(format, args...)).
template <typename... Args>
void print(fmt::format_string<Args...> format, Args&&... args) {
  print(std::string_view(fmt::format(format, std::forward<Args>(args)...)));
}

// Writes `text` as is (no newline added) under the same mutex; for the CLI's own lines.
void write_raw(std::string_view text);

// With the run's `color` option: `line` in the calling thread's own colour (MainThread
// keeps the terminal's), so that each thread's lines can be told apart at a glance. The
// colours go round a palette in the order threads first print in the run. Without the
// option, `line` unchanged. Call it with the run's output mutex held.
std::string in_thread_colour(std::string_view line);

// `text` in the colour `thread`'s lines are printed in, when it has printed in this run with
// the `color` option on; else `text` unchanged (no colour is given out here, so the lines'
// colours stay what they are without it). For the --live panel. Call it with the run's
// output mutex held.
std::string in_colour_of(const ThreadState* thread, std::string_view text);

}  // namespace concur
