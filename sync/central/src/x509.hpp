// Owning handles and small helpers over OpenSSL's X.509 objects, shared by the PKI and trust code.
#pragma once

#include <memory>
#include <string>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sync/internal/files.hpp"
#include "sync/internal/openssl_error.hpp"
#include "sync/crypto.hpp"

namespace borderpost::sync {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using CertHandle = std::unique_ptr<X509, X509Deleter>;

inline CertHandle load_cert(const std::string& path) {
  auto file = open_file(path, "r");
  CertHandle cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!cert) throw std::runtime_error(path + ": not a PEM certificate: " + openssl_error());
  return cert;
}

inline CertHandle parse_cert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  CertHandle cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  return cert;
}

inline std::string cert_pem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) throw std::runtime_error("cannot encode a certificate");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(n)};
}

// SHA-256 of the DER encoding, hex: how records name the certificate that signed them.
inline std::string cert_fingerprint(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) throw std::runtime_error("cannot encode a certificate");
  std::string fingerprint = sha256_hex({reinterpret_cast<const char*>(der), static_cast<std::size_t>(n)});
  OPENSSL_free(der);
  return fingerprint;
}

}  // namespace borderpost::sync
