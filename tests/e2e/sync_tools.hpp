// What the sync end-to-end tests share: the two programs, and a directorate set up with
// `borderpost pki` (CA, central office certificate, one post) plus a central.toml on a free port.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace borderpost::test {

inline const std::string kBorderpost = BORDERPOST_BIN;
inline const std::string kCentral = BORDERPOST_CENTRAL_BIN;

inline void borderpost_ok(const std::vector<std::string>& args) {
  const auto r = run_process(kBorderpost, args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// In `dir`: ca/, central/ (localhost, 127.0.0.1), post/ (PE-TUMBES-01), central.toml, central.db.
inline void set_up_directorate(const std::string& dir) {
  borderpost_ok({"pki", "init", "--ca", dir + "/ca"});
  borderpost_ok({"pki", "server", "--ca", dir + "/ca", "--out", dir + "/central", "--name", "localhost", "--name", "127.0.0.1"});
  borderpost_ok({"pki", "station", "--ca", dir + "/ca", "--out", dir + "/post", "--id", "PE-TUMBES-01"});
  std::ofstream(dir + "/central.toml") << "[listen]\naddress = \"127.0.0.1\"\nport = 0\n"
                                          "[tls]\ncertificate = \"central/server.crt\"\nkey = \"central/server.key\"\n"
                                          "ca = \"central/ca.crt\"\ncrl = \"ca/crl.pem\"\n"
                                          "[store]\nsqlite_path = \"central.db\"\n";
}

}  // namespace borderpost::test
