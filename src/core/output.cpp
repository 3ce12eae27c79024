#include "core/output.h"

#include <fmt/color.h>

#include <cstdint>
#include <iterator>
#include <map>

#include "core/runtime.h"

namespace concur {

namespace {

const fmt::terminal_color kPalette[] = {
    fmt::terminal_color::cyan,         fmt::terminal_color::yellow,        fmt::terminal_color::magenta,
    fmt::terminal_color::green,        fmt::terminal_color::bright_blue,   fmt::terminal_color::red,
    fmt::terminal_color::bright_cyan,  fmt::terminal_color::bright_yellow, fmt::terminal_color::bright_magenta,
    fmt::terminal_color::bright_green,
};

// Each thread's place in the palette, given the first time it prints in a run. Guarded by
// the output mutex.
std::map<const ThreadState*, std::size_t>& colours_of_this_run() {
  static std::map<const ThreadState*, std::size_t> colour_of;
  static std::uint64_t colours_run = 0;
  Runtime& rt = runtime();
  if (colours_run != rt.run_id()) {
    colour_of.clear();
    colours_run = rt.run_id();
  }
  return colour_of;
}

}  // namespace

std::string in_thread_colour(std::string_view line) {
  Runtime& rt = runtime();
  if (!rt.options().color) return std::string(line);
  auto& colour_of = colours_of_this_run();
  const ThreadState* me = &current_thread_state();
  if (me == &rt.main_thread()) return std::string(line);
  auto [it, fresh] = colour_of.try_emplace(me, colour_of.size() % std::size(kPalette));
  return fmt::format(fmt::fg(kPalette[it->second]), "{}", line);
}

std::string in_colour_of(const ThreadState* thread, std::string_view text) {
  if (!runtime().options().color) return std::string(text);
  auto& colour_of = colours_of_this_run();
  auto it = colour_of.find(thread);
  return it == colour_of.end() ? std::string(text) : fmt::format(fmt::fg(kPalette[it->second]), "{}", text);
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
