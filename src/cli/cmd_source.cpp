// `concur source NAME`: the demo's own C++ file, as built into this binary.
#include "cli/commands.h"

namespace concur::cli {

void add_source_command(CLI::App& app, Io& io) {
  auto* sub = app.add_subcommand("source", "print a demo's C++ source (built into the binary)");
  auto name = std::make_shared<std::string>();
  sub->add_option("NAME", *name, "the demo")->required();
  sub->callback([&io, name] {
    const demos::Demo& d = demo_or_usage_error(*name);
    io.out << demos::source_of(d.name);
    io.exit_code = 0;
  });
}

}  // namespace concur::cli
