// `concur explain NAME`: the idea, what to watch, why runs differ, the lecture sections.
#include <fmt/format.h>

#include <sstream>

#include "cli/commands.h"

namespace concur::cli {

namespace {
// The lecture documents in ../shared/seeds, by their number.
const char* seed_title(const std::string& seed) {
  if (seed == "000" || seed == "001") return "lecture \"Threading and Python Network programming\"";
  if (seed == "002") return "notebook \"Asyncio & Threading\"";
  if (seed == "003") return "unit \"Multi-threading and multi-processing in Python\"";
  if (seed == "004") return "tutorial \"Concurrency in Python\"";
  return "lecture document";
}

// `text` broken into lines of at most `width` columns, at spaces.
std::string wrapped(const std::string& text, std::size_t width = 88) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

// Whether --deterministic can run the demo, and what it refuses.
std::string deterministic_note(const demos::Demo& d) {
  if (!d.not_deterministic.empty())
    return "Deterministic runs: no. --deterministic refuses this demo (exit 2): " + d.not_deterministic + ".";
  std::string refused;
  for (const auto& v : d.variants)
    if (!v.not_deterministic.empty()) refused += fmt::format("; --variant {} ({})", v.name, v.not_deterministic);
  for (const auto& o : d.choice_options)
    for (const auto& [value, why] : o.not_deterministic) refused += fmt::format("; --{} {} ({})", o.name, value, why);
  return "Deterministic runs: yes. With --deterministic --seed N the threads take turns in an order drawn from the "
         "seed, on a virtual clock: the same output on every run" +
         (refused.empty() ? std::string(".") : ", except" + refused.substr(1) + ", which it refuses (exit 2).");
}
}  // namespace

void add_explain_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("explain", "explain a demo: the idea, what to watch for, the lecture sections");
  auto name = std::make_shared<std::string>();
  sub->add_option("NAME", *name, "the demo")->required();
  sub->callback([&io, name] {
    const demos::Demo& d = demo_or_usage_error(*name);
    io.out << d.name << " - " << d.summary << "\n\n";
    std::string text = demos::explanation_of(d.name);
    io.out << (text.empty() ? "Watch: " + d.watch + "\n" : text);
    if (!text.empty() && text.back() != '\n') io.out << "\n";
    io.out << "\nLecture sections re-enacted (seed file: section):\n";
    for (const auto& s : d.sections)
      io.out << fmt::format("  seeds/{} ({}): \"{}\"\n", s.seed, seed_title(s.seed), s.title);
    io.out << "\nVariants:\n";
    for (const auto& v : d.variants) io.out << fmt::format("  {:<18}{}\n", v.name, v.summary);
    io.out << "\n" << wrapped(deterministic_note(d)) << "\n";
    io.out << fmt::format("\nRun it: concur demo {}    Read it: concur source {}\n", d.name, d.name);
    io.exit_code = 0;
  });
}

}  // namespace concur::cli
