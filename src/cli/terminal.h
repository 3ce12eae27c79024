// The terminal concur writes to: its size, for the views that fit it (the --timeline chart,
// the --live panel, the --record header), and the width of text on it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace concur::cli {

// The terminal's {columns, rows}: from stdout's tty (ioctl TIOCGWINSZ), else the COLUMNS
// and LINES environment variables, else 80 x 24 (each of the two on its own).
std::pair<int, int> terminal_size();

// Display columns of `s`: UTF-8 code points, ANSI colour escapes not counted.
std::size_t display_columns(const std::string& s);

// The first `n` code points of `s` (which has no escapes): `s` cut to `n` columns.
std::string first_columns(const std::string& s, std::size_t n);

}  // namespace concur::cli
