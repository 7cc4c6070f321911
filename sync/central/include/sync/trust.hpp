// What the central office trusts: the directorate CA and its current revocation list. Used for the
// TLS handshake and to check the signing certificate that comes with each batch of records.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sync/crypto.hpp"

using X509 = struct x509_st;
using X509_STORE = struct x509_store_st;

namespace borderpost::sync {

struct SignerCheck {
  std::string error;              // empty: trusted
  std::shared_ptr<X509> cert;     // the trusted certificate (its key verifies the records)
  std::string fingerprint;        // SHA-256 of the certificate, hex
};

class Trust {
 public:
  Trust(std::string ca_cert_path, std::string crl_path);  // crl_path may be "" (no revocation)
  ~Trust();
  Trust(const Trust&) = delete;
  Trust& operator=(const Trust&) = delete;

  // A signing certificate (PEM) issued by the CA for `station`, not revoked, marked for signing.
  SignerCheck check_signer(const std::string& pem, const std::string& station);

  // A fresh store with the CA and the current CRL, for a TLS context (caller owns it).
  X509_STORE* new_store();
  bool revocation_checked() const { return !crl_path_.empty(); }
  // Changes whenever a new revocation list is loaded: TLS contexts built before it are stale.
  std::uint64_t generation();

 private:
  void reload_if_changed();
  std::string ca_path_, crl_path_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_check_{};
  long long crl_mtime_ = -1;
  std::string crl_pem_;
  std::uint64_t generation_ = 0;
  struct Cached {
    std::shared_ptr<X509> cert;
    std::string station;
    std::string fingerprint;
  };
  std::unordered_map<std::string, Cached> verified_;  // by PEM text, emptied when the CRL changes
};

// The Common Name of a certificate's subject, or "".
std::string common_name(X509* cert);

}  // namespace borderpost::sync
