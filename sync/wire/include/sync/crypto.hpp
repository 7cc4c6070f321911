// The cryptography records need: SHA-256 chaining, Ed25519 signatures, random UUIDs (OpenSSL).
#pragma once

#include <memory>
#include <string>
#include <string_view>

using EVP_PKEY = struct evp_pkey_st;

namespace borderpost::sync {

std::string sha256_hex(std::string_view data);
std::string random_uuid();  // RFC 9562 version 4, lower case

std::string base64_encode(std::string_view bytes);
// nullopt-like: an empty string with ok=false when the text is not canonical base64.
bool base64_decode(std::string_view text, std::string& bytes);

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using KeyHandle = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// A station's Ed25519 record-signing key (private part).
class SigningKey {
 public:
  static SigningKey generate();
  static SigningKey load(const std::string& pem_path);  // throws std::runtime_error with the reason
  void save(const std::string& pem_path) const;         // written with mode 0600
  std::string sign(std::string_view message) const;     // base64 signature
  std::string public_pem() const;
  SigningKey share() const;  // the same key, for another owner (reference-counted)
  EVP_PKEY* get() const { return key_.get(); }

 private:
  explicit SigningKey(KeyHandle key) : key_(std::move(key)) {}
  KeyHandle key_;
};

// Checks an Ed25519 signature (base64) against a public key.
bool verify_signature(EVP_PKEY* public_key, std::string_view message, std::string_view signature_base64);

}  // namespace borderpost::sync
