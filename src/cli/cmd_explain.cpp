// `concur explain NAME`: the idea, what to watch, why runs differ, the lecture sections.
#include <fmt/format.h>

#include "commands.h"

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
    io.out << fmt::format("\nRun it: concur demo {}    Read it: concur source {}\n", d.name, d.name);
    io.exit_code = 0;
  });
}

}  // namespace concur::cli
