// `borderpost-station --config FILE`: the daemon of one border post.
#include <CLI/CLI.hpp>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "daemon/app.hpp"
#include "config/config.hpp"

int main(int argc, char** argv) {
  CLI::App app{"borderpost-station: the daemon of a border post.\n"
               "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 could not start (see the message), 2 wrong configuration or usage."};
  std::string config_path = "config/station.toml";
  app.add_option("--config", config_path, "The station configuration (TOML)")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  borderpost::station::StationConfig config;
  try {
    config = borderpost::station::load_station_config(config_path);
  } catch (const std::exception& e) {
    std::cerr << "borderpost-station: configuration refused: " << e.what() << "\n";
    return 2;
  }
  auto logger = spdlog::stderr_color_mt("station");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    return borderpost::station::run_station(config, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "borderpost-station: cannot start: " << e.what() << "\n";
    return 1;
  }
}
