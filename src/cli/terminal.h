// The terminal concur writes to: its size, for the views that fit it (the --timeline chart,
// the --record header).
#pragma once

#include <utility>

namespace concur::cli {

// The terminal's {columns, rows}: from stdout's tty (ioctl TIOCGWINSZ), else the COLUMNS
// and LINES environment variables, else 80 x 24 (each of the two on its own).
std::pair<int, int> terminal_size();

}  // namespace concur::cli
