// config/central.toml: the central office receiver's settings, with safe defaults and errors that
// name the file, the key and what is wrong.
#pragma once

#include <string>

#include "sync/server.hpp"

namespace borderpost::sync {

struct CentralConfig {
  ServerConfig server;
  std::string backend = "sqlite";  // "sqlite" | "postgresql"
  std::string sqlite_path = "central.db";
  std::string postgresql;          // libpq connection string
  std::string log_level = "info";
};

// Relative paths in the file are taken relative to the file's own directory.
CentralConfig load_central_config(const std::string& path);

}  // namespace borderpost::sync
