#include "core/output.h"

#include <fmt/color.h>

#include <cstdint>
#include <iterator>
#include <map>

#include "core/runtime.h"

namespace concur {

std::string in_thread_colour(std::string_view line) {
  Runtime& rt = runtime();
  if (!rt.options().color) return std::string(line);
  static const fmt::terminal_color kPalette[] = {
      fmt::terminal_color::cyan,         fmt::terminal_color::yellow,        fmt::terminal_color::magenta,
      fmt::terminal_color::green,        fmt::terminal_color::bright_blue,   fmt::terminal_color::red,
      fmt::terminal_color::bright_cyan,  fmt::terminal_color::bright_yellow, fmt::terminal_color::bright_magenta,
      fmt::terminal_color::bright_green,
  };
  static std::map<const ThreadState*, std::size_t> colour_of;  // guarded by the output mutex
  static std::uint64_t colours_run = 0;
  if (colours_run != rt.run_id()) {
    colour_of.clear();
    colours_run = rt.run_id();
  }
  const ThreadState* me = &current_thread_state();
  if (me == &rt.main_thread()) return std::string(line);
  auto [it, fresh] = colour_of.try_emplace(me, colour_of.size() % std::size(kPalette));
  return fmt::format(fmt::fg(kPalette[it->second]), "{}", line);
}

void print(std::string_view line) {
  scheduler().point("print", line);
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.write_out(in_thread_colour(line) + '\n');
}

void write_raw(std::string_view text) {
  scheduler().point("print", text);
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.write_out(text);
}

}  // namespace concur
