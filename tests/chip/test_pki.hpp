// A throw-away ePassport PKI (ICAO Doc 9303 Part 12) for tests: country signing CAs, document
// signers and master list signers, every key generated at run time so nothing secret is committed.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "emrtd/bytes.hpp"

namespace borderpost::test::chip {

using station::emrtd::ByteView;
using station::emrtd::Bytes;

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct EvpKeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using EvpKeyPtr = std::unique_ptr<EVP_PKEY, EvpKeyFree>;

enum class KeyKind {
  EcP256,                   // ECDSA with SHA-256, named curve
  Rsa2048,                  // RSA PKCS#1 v1.5 with SHA-256
  BrainpoolP256r1Explicit,  // ECDSA with SHA-256, the curve spelt out in the certificate (as in many master lists)
};

using TimePoint = std::chrono::system_clock::time_point;
TimePoint days_from_now(int days);  // negative: in the past

// A certificate and the private key of its subject.
struct CertifiedKey {
  X509Ptr certificate;
  EvpKeyPtr key;
};

EvpKeyPtr generate_key(KeyKind kind);

// Country Signing CA: self-signed, basicConstraints CA:true (critical), keyUsage keyCertSign and
// cRLSign (critical), subjectKeyIdentifier. Subject C=<country_alpha2>, CN=<common_name>.
CertifiedKey make_csca(std::string_view country_alpha2, std::string_view common_name, KeyKind kind,
                       TimePoint not_before, TimePoint not_after);

// Document signer (EC P-256) issued by `csca`: keyUsage digitalSignature (critical),
// authorityKeyIdentifier and subjectKeyIdentifier.
CertifiedKey make_document_signer(const CertifiedKey& csca, std::string_view country_alpha2, TimePoint not_before,
                                  TimePoint not_after);

// Master list signer (EC P-256) issued by `csca`: keyUsage digitalSignature, extendedKeyUsage
// 2.23.136.1.1.3 (id-icao-cscaMasterListSigningKey).
CertifiedKey make_master_list_signer(const CertifiedKey& csca, std::string_view country_alpha2, TimePoint not_before,
                                     TimePoint not_after);

Bytes der(const X509* certificate);
std::string pem(const X509* certificate);
void write_der(const X509* certificate, const std::filesystem::path& path);
void write_pem(const X509* certificate, const std::filesystem::path& path);
X509Ptr certificate_from_der(ByteView der_bytes);  // throws std::runtime_error when it does not parse

// Any bytes to a file: a master list (.ml), an EF.SOD, a data group.
void write_bytes(ByteView bytes, const std::filesystem::path& path);

// The SubjectPublicKeyInfo of a key (what EF.DG15 holds).
Bytes subject_public_key_info(const EVP_PKEY* key);

// Utopia's PKI for tests that need one: its CSCA (EC P-256, valid from a year ago for ten years)
// and a document signer under it (from a month ago for ten years), made once per process.
struct UtopiaPki {
  CertifiedKey csca;
  CertifiedKey signer;
};
const UtopiaPki& utopia_pki();

// OpenSSL's error queue as text, for exception messages.
std::string openssl_errors();

}  // namespace borderpost::test::chip
