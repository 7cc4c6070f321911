// The station's trusted Country Signing CA certificates (ICAO Doc 9303 Part 12): a directory of
// PEM files, one per certificate, named by its SHA-256 fingerprint. Certificates come in as CSCA
// master lists (CMS-signed .ml files) or as plain certificates (PEM or DER).
//
// Real master lists hold CSCA certificates whose EC keys carry explicit curve parameters instead
// of a named curve. OpenSSL 3 reports those as an error when it verifies a chain
// (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS), so they are accepted only when the parameters are exactly
// those of a curve OpenSSL names (EC_GROUP_check_named_curve): any other explicit curve is
// refused at import and fails verification, and every other check stays as strict as before.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "emrtd/bytes.hpp"

typedef struct x509_store_st X509_STORE;

namespace borderpost::station::emrtd {

struct TrustedCertificate {
  std::string fingerprint;  // SHA-256, hex
  std::string subject;
  std::string country;      // C=
  std::string not_before, not_after;  // "2026-01-01"
  std::string key;          // "EC brainpoolP256r1 (explicit parameters)", "RSA 4096", ...
};

struct ImportReport {
  std::string file;
  std::string kind;          // "master list" or "certificate"
  std::string signer;        // a master list's signer (subject), when it has one
  bool signature_valid = true;  // a master list's CMS signature
  int added = 0, already_present = 0;
  std::vector<std::string> refused;  // "subject: reason"
};

class TrustStore {
 public:
  explicit TrustStore(std::filesystem::path directory);  // created on first import
  ~TrustStore();
  TrustStore(TrustStore&&) noexcept;

  // Throws std::runtime_error for a file that is neither a master list nor a certificate, or a
  // master list whose signature does not verify (nothing of it is imported then).
  ImportReport import_file(const std::filesystem::path& file);
  ImportReport import_bytes(ByteView bytes, const std::string& name);

  std::vector<TrustedCertificate> list() const;
  const std::filesystem::path& directory() const { return directory_; }
  // The certificates as an OpenSSL store (loaded once; reload() after imports).
  X509_STORE* store() const;
  void reload();

 private:
  std::filesystem::path directory_;
  struct Loaded;
  std::unique_ptr<Loaded> loaded_;
};

}  // namespace borderpost::station::emrtd
