// The `borderpost pki ...`, `borderpost sync ...` and `borderpost central ...` command groups.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace borderpost::sync::cli {

// Each command writes its exit status to exit_code when it runs (0 success, 1 failure, 2 usage).
void add_pki_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);
void add_sync_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);
void add_central_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace borderpost::sync::cli
