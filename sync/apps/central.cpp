// `borderpost-central --config config/central.toml`: the central office receiver. Serves until
// SIGTERM or SIGINT, then stops accepting, lets the threads finish and exits 0.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "sync/central_config.hpp"
#include "sync/receiver.hpp"
#include "sync/server.hpp"

int main(int argc, char** argv) {
  CLI::App app{"borderpost-central: receives movement records from border posts over mutual TLS"};
  std::string config_path = "config/central.toml";
  app.add_option("--config", config_path, "Configuration file");
  CLI11_PARSE(app, argc, argv);
  using namespace borderpost::sync;
  try {
    const auto config = load_central_config(config_path);
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    // Block the stop signals in every thread; the main thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto store = open_store(config.backend, config.sqlite_path, config.postgresql, static_cast<unsigned>(config.server.workers));
    Trust trust(config.server.ca_cert, config.server.crl);
    Receiver receiver(*store, trust);
    CentralServer server(config.server, receiver, trust);
    server.start();
    spdlog::info("borderpost-central listening on {}:{} (store: {} {})", config.server.address, server.port(), config.backend,
                 config.backend == "sqlite" ? config.sqlite_path : "database");
    std::cout << "listening on port " << server.port() << std::endl;  // for scripts that start it on port 0
    int received = 0;
    sigwait(&stop_signals, &received);
    spdlog::info("signal {}: stopping", received);
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "borderpost-central: " << e.what() << "\n";
    return 1;
  }
}
