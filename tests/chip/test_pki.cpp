// The test ePassport PKI (see test_pki.hpp), on OpenSSL 3.
#include "test_pki.hpp"

#include <atomic>
#include <fstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace borderpost::test::chip {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + openssl_errors()); }

void require(int ok, const char* what) {
  if (ok != 1) fail(what);
}

// What one of OpenSSL's i2d_* encoders writes for `object`; `what` names it if it fails.
template <typename Object>
Bytes encoded(int (*i2d)(const Object*, unsigned char**), const Object* object, const char* what) {
  unsigned char* out = nullptr;
  const int length = i2d(object, &out);
  if (length <= 0) fail(what);
  Bytes bytes(out, out + length);
  OPENSSL_free(out);
  return bytes;
}

EvpKeyPtr generate_brainpool_explicit() {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) fail("EC key generation");
  char group[] = "brainpoolP256r1";
  char encoding[] = OSSL_PKEY_EC_ENCODING_EXPLICIT;
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      // The key then encodes its curve as explicit parameters wherever it is written (SPKI).
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, encoding, 0),
      OSSL_PARAM_construct_end(),
  };
  require(EVP_PKEY_CTX_set_params(ctx.get(), params), "brainpoolP256r1 parameters");
  EVP_PKEY* key = nullptr;
  require(EVP_PKEY_generate(ctx.get(), &key), "brainpoolP256r1 key generation");
  return EvpKeyPtr(key);
}

void set_random_serial(X509* certificate) {
  unsigned char bytes[8];
  require(RAND_bytes(bytes, sizeof bytes), "random serial number");
  bytes[0] &= 0x7F;  // a positive INTEGER
  bytes[0] |= 0x01;  // and no leading zero byte
  BIGNUM* number = BN_bin2bn(bytes, sizeof bytes, nullptr);
  if (!number || !BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate))) {
    BN_free(number);
    fail("serial number");
  }
  BN_free(number);
}

void add_name_entry(X509_NAME* name, const char* field, std::string_view value) {
  require(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                     static_cast<int>(value.size()), -1, 0),
          "certificate name");
}

void add_extension(X509* certificate, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (!extension) fail(std::string("extension ") + OBJ_nid2sn(nid) + " = " + value);
  const int added = X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
  require(added, "add extension");
}

struct Profile {
  std::string country;
  std::string common_name;
  TimePoint not_before, not_after;
  const char* basic_constraints;  // nullptr: none
  const char* key_usage;
  const char* extended_key_usage;  // nullptr: none
};

// A certificate for `subject_key`, signed by `issuer` (nullptr: self-signed) with SHA-256.
X509Ptr issue(const Profile& profile, EVP_PKEY* subject_key, const CertifiedKey* issuer) {
  X509Ptr certificate(X509_new());
  if (!certificate) fail("X509_new");
  X509* cert = certificate.get();
  require(X509_set_version(cert, X509_VERSION_3), "certificate version");
  set_random_serial(cert);
  X509_NAME* subject = X509_get_subject_name(cert);
  add_name_entry(subject, "C", profile.country);
  add_name_entry(subject, "O", "Borderpost test PKI");
  add_name_entry(subject, "CN", profile.common_name);
  X509* issuer_cert = issuer ? issuer->certificate.get() : cert;
  require(X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)), "issuer name");
  if (!ASN1_TIME_set(X509_getm_notBefore(cert), std::chrono::system_clock::to_time_t(profile.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert), std::chrono::system_clock::to_time_t(profile.not_after)))
    fail("validity");
  require(X509_set_pubkey(cert, subject_key), "public key");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer_cert, cert, nullptr, nullptr, 0);
  if (profile.basic_constraints) add_extension(cert, &ctx, NID_basic_constraints, profile.basic_constraints);
  add_extension(cert, &ctx, NID_key_usage, profile.key_usage);
  if (profile.extended_key_usage) add_extension(cert, &ctx, NID_ext_key_usage, profile.extended_key_usage);
  add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always");

  EVP_PKEY* signing_key = issuer ? issuer->key.get() : subject_key;
  if (X509_sign(cert, signing_key, EVP_sha256()) <= 0) fail("certificate signature");
  return certificate;
}

std::string serial_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(++counter);
}

}  // namespace

std::string openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(code, line, sizeof line);
    if (!text.empty()) text += "; ";
    text += line;
  }
  return text.empty() ? "no OpenSSL error reported" : text;
}

TimePoint days_from_now(int days) { return std::chrono::system_clock::now() + std::chrono::days(days); }

EvpKeyPtr generate_key(KeyKind kind) {
  EVP_PKEY* key = nullptr;
  switch (kind) {
    case KeyKind::EcP256: key = EVP_EC_gen("P-256"); break;
    case KeyKind::Rsa2048: key = EVP_RSA_gen(2048); break;
    case KeyKind::BrainpoolP256r1Explicit: return generate_brainpool_explicit();
  }
  if (!key) fail("key generation");
  return EvpKeyPtr(key);
}

CertifiedKey make_csca(std::string_view country_alpha2, std::string_view common_name, KeyKind kind,
                       TimePoint not_before, TimePoint not_after) {
  auto key = generate_key(kind);
  const Profile profile{std::string(country_alpha2), std::string(common_name), not_before, not_after,
                        "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign", nullptr};
  auto certificate = issue(profile, key.get(), nullptr);
  return {std::move(certificate), std::move(key)};
}

CertifiedKey make_document_signer(const CertifiedKey& csca, std::string_view country_alpha2, TimePoint not_before,
                                  TimePoint not_after) {
  auto key = generate_key(KeyKind::EcP256);
  const Profile profile{std::string(country_alpha2), "Document Signer " + serial_suffix(), not_before, not_after,
                        nullptr, "critical,digitalSignature", nullptr};
  auto certificate = issue(profile, key.get(), &csca);
  return {std::move(certificate), std::move(key)};
}

CertifiedKey make_master_list_signer(const CertifiedKey& csca, std::string_view country_alpha2, TimePoint not_before,
                                     TimePoint not_after) {
  auto key = generate_key(KeyKind::EcP256);
  const Profile profile{std::string(country_alpha2), "Master List Signer " + serial_suffix(), not_before, not_after,
                        nullptr, "critical,digitalSignature", "2.23.136.1.1.3"};
  auto certificate = issue(profile, key.get(), &csca);
  return {std::move(certificate), std::move(key)};
}

Bytes der(const X509* certificate) { return encoded(i2d_X509, certificate, "certificate DER"); }

std::string pem(const X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) fail("certificate PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

void write_bytes(ByteView bytes, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_der(const X509* certificate, const std::filesystem::path& path) { write_bytes(der(certificate), path); }

void write_pem(const X509* certificate, const std::filesystem::path& path) {
  std::ofstream out(path);
  out << pem(certificate);
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

X509Ptr certificate_from_der(ByteView der_bytes) {
  const unsigned char* cursor = der_bytes.data();
  X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der_bytes.size())));
  if (!certificate) fail("certificate does not parse");
  return certificate;
}

Bytes subject_public_key_info(const EVP_PKEY* key) { return encoded(i2d_PUBKEY, key, "SubjectPublicKeyInfo"); }

const UtopiaPki& utopia_pki() {
  static const UtopiaPki pki = [] {
    UtopiaPki made;
    made.csca = make_csca("UT", "CSCA Utopia", KeyKind::EcP256, days_from_now(-365), days_from_now(3650));
    made.signer = make_document_signer(made.csca, "UT", days_from_now(-30), days_from_now(3650));
    return made;
  }();
  return pki;
}

}  // namespace borderpost::test::chip
