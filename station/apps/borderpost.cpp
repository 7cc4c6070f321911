// `borderpost`: the command-line tool; each component adds its command group.
#include <CLI/CLI.hpp>
#include <iostream>

#include "mrz_cli/mrz_command.hpp"
#include "station_cli/commands.hpp"
#include "sync_cli/commands.hpp"

namespace {
constexpr int kExitUsage = 2;
}

int main(int argc, char** argv) {
  CLI::App app{"borderpost: border-control post tools"};
  app.require_subcommand(1);
  int exit_code = 0;
  mrz::cli::add_mrz_commands(app, {std::cin, std::cout, std::cerr}, exit_code);
  borderpost::sync::cli::add_pki_commands(app, std::cout, std::cerr, exit_code);
  borderpost::sync::cli::add_sync_commands(app, std::cout, std::cerr, exit_code);
  borderpost::sync::cli::add_central_commands(app, std::cout, std::cerr, exit_code);
  borderpost::station::cli::add_station_commands(app, std::cout, std::cerr, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}
