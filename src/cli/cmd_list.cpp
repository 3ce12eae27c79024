// `concur list`: the demo table, in lecture order, with variants.
#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.h"

namespace concur::cli {

void add_list_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("list", "list the demos in lecture order, with their variants");
  auto names = std::make_shared<bool>(false);
  sub->add_flag("--names", *names, "one 'DEMO VARIANT' pair a line, for scripts and shell completion");
  sub->callback([&io, names] {
    if (*names) {
      for (const auto& d : demos::table())
        for (const auto& v : d.variants) io.out << d.name << ' ' << v.name << '\n';
      io.exit_code = 0;
      return;
    }
    io.out << "Demos, in lecture order (run one with: concur demo NAME [--variant V]):\n\n";
    std::size_t width = 0;  // the longest name, plus two spaces
    for (const auto& d : demos::table()) width = std::max(width, d.name.size() + 2);
    for (const auto& d : demos::table()) {
      io.out << fmt::format("  {:<{}}{}\n", d.name, width, d.summary);
      std::string line = "variants:";
      for (const auto& v : d.variants) {
        std::string item = " " + v.name + (&v == &d.variants.front() ? " (default)" : "") +
                           (&v == &d.variants.back() ? "" : ",");
        if (line.size() + item.size() > 62) {
          io.out << fmt::format("  {:<{}}{}\n", "", width, line);
          line = "         ";
        }
        line += item;
      }
      io.out << fmt::format("  {:<{}}{}\n", "", width, line);
    }
    io.exit_code = 0;
  });
}

}  // namespace concur::cli
