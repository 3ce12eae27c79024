// One function per command: each adds its subcommand to the app and sets what it does.
// (CLI11's "subcommands in files" layout; app.cpp only wires them.)
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <vector>

#include "cli/demo_options.h"

namespace concur::cli {

// Where a command writes, and the exit code it leaves.
struct Io {
  std::ostream& out;
  std::ostream& err;
  int exit_code = 0;
};

void add_list_command(CLI::App& app, Io& io);
void add_explain_command(CLI::App& app, Io& io);
void add_source_command(CLI::App& app, Io& io);
void add_check_command(CLI::App& app, Io& io);
void add_bench_command(CLI::App& app, Io& io);  // cmd_bench.cpp
// `demo NAME`: one sub-subcommand for each of `demos` (entries of the table, in its order),
// their options kept in `storage`.
void add_demo_command(CLI::App& app, Io& io, std::vector<std::unique_ptr<DemoOptions>>& storage,
                      const std::vector<const demos::Demo*>& demos);

// Demo names in table order (for suggestions and validation).
std::vector<std::string> demo_names();
// The table entry for `name`; throws UsageError with a suggestion when there is none.
const demos::Demo& demo_or_usage_error(const std::string& name);

}  // namespace concur::cli
