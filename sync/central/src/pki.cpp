#include "sync/pki.hpp"

#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "x509.hpp"

namespace borderpost::sync::pki {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string in(const std::string& dir, const char* file) { return (fs::path(dir) / file).string(); }

KeyHandle new_key() {
  KeyHandle key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) throw std::runtime_error("cannot generate an Ed25519 key: " + openssl_error());
  return key;
}

void write_key(const std::string& path, EVP_PKEY* key) {
  auto file = create_private_file(path);
  if (PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error(path + ": cannot write the key: " + openssl_error());
}

KeyHandle load_key(const std::string& path) {
  auto file = open_file(path, "r");
  KeyHandle key(PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error(path + ": not a PEM private key: " + openssl_error());
  return key;
}

void write_cert(const std::string& path, X509* cert) { write_text_file(path, cert_pem(cert)); }

// 127 random bits: unique without a counter that two operators could both advance.
std::string random_serial_hex() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes: " + openssl_error());
  bytes[0] &= 0x7F;
  bytes[0] |= 0x01;  // never a leading zero byte
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(bytes, sizeof bytes, nullptr), BN_free);
  char* hex = BN_bn2hex(bn.get());
  std::string text(hex);
  OPENSSL_free(hex);
  return text;
}

std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial_from_hex(const std::string& hex) {
  BIGNUM* bn = nullptr;
  if (BN_hex2bn(&bn, hex.c_str()) == 0) throw std::runtime_error("bad serial number " + hex);
  std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial(BN_to_ASN1_INTEGER(bn, nullptr), ASN1_INTEGER_free);
  BN_free(bn);
  return serial;
}

struct Extension {
  int nid;
  std::string value;
};

// A v3 certificate for `cn`, signed by the issuer (or by its own key when issuer is null).
CertHandle make_cert(const std::string& cn, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key, int days,
                     const std::string& serial_hex, const std::vector<Extension>& extensions) {
  CertHandle cert(X509_new());
  X509_set_version(cert.get(), 2);
  X509_set_serialNumber(cert.get(), serial_from_hex(serial_hex).get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("borderpost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);  // tolerate clocks a few minutes apart
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_set_pubkey(cert.get(), subject_key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& e : extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, e.nid, e.value.c_str());
    if (ext == nullptr) throw std::runtime_error("bad certificate extension " + e.value + ": " + openssl_error());
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), issuer_key, nullptr) == 0) throw std::runtime_error("cannot sign a certificate: " + openssl_error());
  return cert;
}

json read_register(const std::string& ca_dir) {
  return json::parse(read_text_file(in(ca_dir, kRegister)));
}

void write_register(const std::string& ca_dir, const json& reg) { write_text_file(in(ca_dir, kRegister), reg.dump(2) + "\n"); }

struct Authority {
  CertHandle cert;
  KeyHandle key;
  json reg;
};

Authority open_authority(const std::string& ca_dir) {
  if (!fs::exists(in(ca_dir, kCaKey)))
    throw std::runtime_error(ca_dir + " holds no certificate authority (run `borderpost pki init` first)");
  return {load_cert(in(ca_dir, kCaCert)), load_key(in(ca_dir, kCaKey)), read_register(ca_dir)};
}

std::string issue(Authority& ca, const std::string& cn, const std::string& kind, EVP_PKEY* key, int days,
                  std::vector<Extension> extensions, const std::string& cert_path) {
  extensions.insert(extensions.begin(), {{NID_basic_constraints, "critical,CA:FALSE"},
                                         {NID_subject_key_identifier, "hash"},
                                         {NID_authority_key_identifier, "keyid:always"}});
  const auto serial = random_serial_hex();
  auto cert = make_cert(cn, key, ca.cert.get(), ca.key.get(), days, serial, extensions);
  write_cert(cert_path, cert.get());
  ca.reg["issued"].push_back({{"serial", serial}, {"subject", cn}, {"kind", kind}, {"issued_at", std::time(nullptr)}});
  return serial;
}

void write_crl(const std::string& ca_dir, const Authority& ca, int days) {
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), X509_CRL_free);
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.cert.get()));
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> now(X509_gmtime_adj(nullptr, 0), ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(X509_gmtime_adj(nullptr, static_cast<long>(days) * 86400),
                                                             ASN1_TIME_free);
  X509_CRL_set1_lastUpdate(crl.get(), now.get());
  X509_CRL_set1_nextUpdate(crl.get(), next.get());
  for (const auto& entry : ca.reg["revoked"]) {
    X509_REVOKED* revoked = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(revoked, serial_from_hex(entry["serial"].get<std::string>()).get());
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> when(ASN1_TIME_set(nullptr, entry["revoked_at"].get<std::time_t>()),
                                                               ASN1_TIME_free);
    X509_REVOKED_set_revocationDate(revoked, when.get());
    X509_CRL_add0_revoked(crl.get(), revoked);
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), ca.key.get(), nullptr) == 0) throw std::runtime_error("cannot sign the CRL: " + openssl_error());
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509_CRL(bio.get(), crl.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  // Replaced atomically: the central office may be reading it.
  const auto tmp = in(ca_dir, kCrl) + ".tmp";
  write_text_file(tmp, std::string(data, static_cast<std::size_t>(n)));
  fs::rename(tmp, in(ca_dir, kCrl));
}

}  // namespace

void create_authority(const std::string& ca_dir, const std::string& name, int days) {
  fs::create_directories(ca_dir);
  if (fs::exists(in(ca_dir, kCaKey))) throw std::runtime_error(ca_dir + " already holds a certificate authority");
  auto key = new_key();
  auto cert = make_cert(name, key.get(), nullptr, key.get(), days, random_serial_hex(),
                        {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"}});
  write_key(in(ca_dir, kCaKey), key.get());
  write_cert(in(ca_dir, kCaCert), cert.get());
  Authority ca{std::move(cert), std::move(key), {{"issued", json::array()}, {"revoked", json::array()}}};
  write_register(ca_dir, ca.reg);
  write_crl(ca_dir, ca, 30);
}

void issue_server(const std::string& ca_dir, const std::string& out_dir, const std::vector<std::string>& names, int days) {
  if (names.empty()) throw std::invalid_argument("the server certificate needs at least one host name or address");
  auto ca = open_authority(ca_dir);
  fs::create_directories(out_dir);
  std::string alt;
  for (const auto& n : names) {
    const bool address = n.find_first_not_of("0123456789.") == std::string::npos || n.find(':') != std::string::npos;
    if (!alt.empty()) alt += ',';
    alt += address ? "IP:" : "DNS:";
    alt += n;
  }
  auto key = new_key();
  write_key(in(out_dir, "server.key"), key.get());
  issue(ca, names.front(), "server", key.get(), days,
        {{NID_key_usage, "critical,digitalSignature"}, {NID_ext_key_usage, "serverAuth"}, {NID_subject_alt_name, alt}},
        in(out_dir, "server.crt"));
  fs::copy_file(in(ca_dir, kCaCert), in(out_dir, kCaCert), fs::copy_options::overwrite_existing);
  write_register(ca_dir, ca.reg);
}

void issue_station(const std::string& ca_dir, const std::string& out_dir, const std::string& station_id, int days) {
  if (station_id.empty() || station_id.size() > 32 ||
      station_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos)
    throw std::invalid_argument("a station id is 1-32 characters A-Z, 0-9 or '-'");
  auto ca = open_authority(ca_dir);
  fs::create_directories(out_dir);
  auto tls_key = new_key();
  write_key(in(out_dir, "station.key"), tls_key.get());
  issue(ca, station_id, "tls", tls_key.get(), days,
        {{NID_key_usage, "critical,digitalSignature"}, {NID_ext_key_usage, "clientAuth"}}, in(out_dir, "station.crt"));
  auto signing_key = new_key();
  write_key(in(out_dir, "signing.key"), signing_key.get());
  issue(ca, station_id, "signing", signing_key.get(), days, {{NID_key_usage, "critical,nonRepudiation"}},
        in(out_dir, "signing.crt"));
  fs::copy_file(in(ca_dir, kCaCert), in(out_dir, kCaCert), fs::copy_options::overwrite_existing);
  write_register(ca_dir, ca.reg);
}

int revoke_station(const std::string& ca_dir, const std::string& station_id, int crl_days) {
  auto ca = open_authority(ca_dir);
  int count = 0;
  for (const auto& entry : ca.reg["issued"]) {
    if (entry["subject"] != station_id || entry["kind"] == "server") continue;
    const auto serial = entry["serial"].get<std::string>();
    bool already = false;
    for (const auto& r : ca.reg["revoked"]) already = already || r["serial"] == serial;
    if (already) continue;
    ca.reg["revoked"].push_back({{"serial", serial}, {"subject", station_id}, {"revoked_at", std::time(nullptr)}});
    ++count;
  }
  write_register(ca_dir, ca.reg);
  write_crl(ca_dir, ca, crl_days);
  return count;
}

void refresh_crl(const std::string& ca_dir, int crl_days) {
  const auto ca = open_authority(ca_dir);
  write_crl(ca_dir, ca, crl_days);
}

}  // namespace borderpost::sync::pki
