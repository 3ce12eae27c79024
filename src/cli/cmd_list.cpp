// `concur list`: the demo table, in lecture order, with variants.
#include <fmt/format.h>

#include "commands.h"

namespace concur::cli {

void add_list_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("list", "list the demos in lecture order, with their variants");
  sub->callback([&io] {
    io.out << "Demos, in lecture order (run one with: concur demo NAME [--variant V]):\n\n";
    for (const auto& d : demos::table()) {
      io.out << fmt::format("  {:<14}{}\n", d.name, d.summary);
      std::string line = "variants:";
      for (const auto& v : d.variants) {
        std::string item = " " + v.name + (&v == &d.variants.front() ? " (default)" : "") +
                           (&v == &d.variants.back() ? "" : ",");
        if (line.size() + item.size() > 62) {
          io.out << fmt::format("  {:<14}{}\n", "", line);
          line = "         ";
        }
        line += item;
      }
      io.out << fmt::format("  {:<14}{}\n", "", line);
    }
    io.exit_code = 0;
  });
}

}  // namespace concur::cli
