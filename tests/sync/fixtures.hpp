// Real keys, certificates and databases in a temporary directory, for the sync tests.
#pragma once

#include <filesystem>
#include <string>

#include "sync/crypto.hpp"
#include "sync/pki.hpp"
#include "temp_dir.hpp"

namespace borderpost::sync::testing {

struct TempDir : borderpost::test::TempDir {
  TempDir() : borderpost::test::TempDir("sync") {}
};

// A directorate CA with a central server certificate and two posts.
struct Directorate {
  TempDir dir;
  std::string ca = dir / "ca";
  std::string central = dir / "central";
  std::string tumbes = dir / "PE-TUMBES-01";
  std::string desaguadero = dir / "PE-DESAGUADERO-02";
  Directorate() {
    pki::create_authority(ca, "Test Directorate CA", 30);
    pki::issue_server(ca, central, {"localhost", "127.0.0.1"}, 30);
    pki::issue_station(ca, tumbes, "PE-TUMBES-01", 30);
    pki::issue_station(ca, desaguadero, "PE-DESAGUADERO-02", 30);
  }
  std::string ca_cert() const { return ca + "/ca.crt"; }
  std::string crl() const { return ca + "/crl.pem"; }
};

}  // namespace borderpost::sync::testing
