// `borderpost pki`: the directorate CA, the central server's certificate, and per post a TLS
// certificate and a record-signing certificate naming the station; revocation by CRL.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <thread>

#include "fixtures.hpp"
#include "sync/internal/files.hpp"
#include "sync/trust.hpp"

using namespace borderpost::sync;
using borderpost::sync::testing::Directorate;
using borderpost::sync::testing::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

}  // namespace

TEST_CASE("private keys are written readable by their owner only") {
  Directorate d;
  CHECK(mode_of(d.ca + "/ca.key") == 0600);
  CHECK(mode_of(d.central + "/server.key") == 0600);
  CHECK(mode_of(d.tumbes + "/station.key") == 0600);
  CHECK(mode_of(d.tumbes + "/signing.key") == 0600);
  CHECK(mode_of(d.tumbes + "/station.crt") != 0600);
}

TEST_CASE("a station's signing certificate is trusted for that station only") {
  Directorate d;
  Trust trust(d.ca_cert(), d.crl());
  const auto pem = read_text_file(d.tumbes + "/signing.crt");
  const auto ok = trust.check_signer(pem, "PE-TUMBES-01");
  CHECK_MESSAGE(ok.error.empty(), ok.error);
  CHECK(ok.fingerprint.size() == 64);
  CHECK(trust.check_signer(pem, "PE-DESAGUADERO-02").error.find("belongs to station PE-TUMBES-01") != std::string::npos);
}

TEST_CASE("a TLS certificate cannot stand in for a signing certificate") {
  Directorate d;
  Trust trust(d.ca_cert(), d.crl());
  const auto check = trust.check_signer(read_text_file(d.tumbes + "/station.crt"), "PE-TUMBES-01");
  CHECK(check.error == "the certificate is not a record-signing certificate");
}

TEST_CASE("a certificate from another authority is not trusted") {
  Directorate d;
  Directorate foreign;
  Trust trust(d.ca_cert(), d.crl());
  const auto check = trust.check_signer(read_text_file(foreign.tumbes + "/signing.crt"), "PE-TUMBES-01");
  CHECK(check.error.find("the signing certificate is not trusted") == 0);
  CHECK(trust.check_signer("garbage", "PE-TUMBES-01").error.find("not a PEM certificate") != std::string::npos);
}

TEST_CASE("revoking a station revokes both its certificates, and trust follows the new CRL") {
  Directorate d;
  Trust trust(d.ca_cert(), d.crl());
  const auto pem = read_text_file(d.tumbes + "/signing.crt");
  REQUIRE(trust.check_signer(pem, "PE-TUMBES-01").error.empty());
  const auto generation = trust.generation();
  CHECK(pki::revoke_station(d.ca, "PE-TUMBES-01") == 2);
  CHECK(pki::revoke_station(d.ca, "PE-TUMBES-01") == 0);  // already revoked
  // The CRL is re-read at most once a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(trust.check_signer(pem, "PE-TUMBES-01").error == "the signing certificate is not trusted: certificate revoked");
  CHECK(trust.generation() != generation);
  CHECK(trust.check_signer(read_text_file(d.desaguadero + "/signing.crt"), "PE-DESAGUADERO-02").error.empty());
}

TEST_CASE("the authority refuses to be created twice and bad station ids") {
  Directorate d;
  CHECK_THROWS_WITH(pki::create_authority(d.ca, "again", 30), doctest::Contains("already holds a certificate authority"));
  CHECK_THROWS_AS(pki::issue_station(d.ca, d.dir / "x", "pe tumbes", 30), std::invalid_argument);
  TempDir empty;
  CHECK_THROWS_WITH(pki::issue_station(empty.path.string(), empty / "x", "PE-X", 30), doctest::Contains("pki init"));
}
