#include "sync/central_config.hpp"

#include <filesystem>
#include <stdexcept>

#include <toml++/toml.h>

namespace borderpost::sync {
namespace {

namespace fs = std::filesystem;

std::string resolve(const fs::path& base, const std::string& value) {
  if (value.empty()) return value;
  const fs::path p(value);
  return p.is_absolute() ? value : (base / p).lexically_normal().string();
}

template <typename T>
T get(const toml::table& table, const std::string& key, T fallback, const std::string& file) {
  const auto node = table.at_path(key);
  if (!node) return fallback;
  if (auto value = node.value<T>()) return *value;
  throw std::runtime_error(file + ": " + key + " has the wrong type");
}

}  // namespace

CentralConfig load_central_config(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  const fs::path base = fs::absolute(path).parent_path();
  CentralConfig c;
  c.server.address = get<std::string>(table, "listen.address", c.server.address, path);
  const auto port = get<std::int64_t>(table, "listen.port", c.server.port, path);
  if (port < 0 || port > 65535) throw std::runtime_error(path + ": listen.port must be 0-65535");
  c.server.port = static_cast<unsigned short>(port);
  const auto threads = get<std::int64_t>(table, "listen.threads", c.server.threads, path);
  if (threads < 1 || threads > 64) throw std::runtime_error(path + ": listen.threads must be 1-64");
  c.server.threads = static_cast<int>(threads);
  const auto workers = get<std::int64_t>(table, "listen.workers", c.server.workers, path);
  if (workers < 1 || workers > 256) throw std::runtime_error(path + ": listen.workers must be 1-256");
  c.server.workers = static_cast<int>(workers);
  c.server.cert = resolve(base, get<std::string>(table, "tls.certificate", "", path));
  c.server.key = resolve(base, get<std::string>(table, "tls.key", "", path));
  c.server.ca_cert = resolve(base, get<std::string>(table, "tls.ca", "", path));
  c.server.crl = resolve(base, get<std::string>(table, "tls.crl", "", path));
  for (const auto& [key, value] : {std::pair{"tls.certificate", c.server.cert}, {"tls.key", c.server.key}, {"tls.ca", c.server.ca_cert}})
    if (value.empty()) throw std::runtime_error(path + ": " + key + " is required");
  c.backend = get<std::string>(table, "store.backend", c.backend, path);
  if (c.backend != "sqlite" && c.backend != "postgresql")
    throw std::runtime_error(path + ": store.backend must be \"sqlite\" or \"postgresql\"");
  c.sqlite_path = resolve(base, get<std::string>(table, "store.sqlite_path", c.sqlite_path, path));
  c.postgresql = get<std::string>(table, "store.postgresql", "", path);
  if (c.backend == "postgresql" && c.postgresql.empty()) throw std::runtime_error(path + ": store.postgresql is required");
  c.log_level = get<std::string>(table, "log.level", c.log_level, path);
  return c;
}

}  // namespace borderpost::sync
