// The `borderpost movements ...` and `borderpost db ...` command groups (the station's database).
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace borderpost::station::cli {

// Each command writes its exit status to exit_code when it runs (0 success, 1 failure, 2 usage).
void add_station_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace borderpost::station::cli
