// The `borderpost mrz ...` command group.
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <ostream>

namespace mrz::cli {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Adds `mrz parse` to the app. The command's exit status is written to exit_code when it runs.
void add_mrz_commands(CLI::App& app, Streams streams, int& exit_code);

}  // namespace mrz::cli
