// Small owners and readers for the OpenSSL objects of passive authentication and the trust store.
#pragma once

#include <cctype>
#include <ctime>
#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd::ossl {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;

struct CertificatesFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using Certificates = std::unique_ptr<STACK_OF(X509), CertificatesFree>;

inline Bio memory(ByteView bytes) { return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))); }

// The most recent OpenSSL error, for messages ("" when there is none); clears the queue.
inline std::string last_error() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (!code) return "";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

inline std::string name_text(const X509_NAME* name) {
  Bio out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

inline std::string country_of(const X509_NAME* name) {
  char text[16] = {};
  if (X509_NAME_get_text_by_NID(const_cast<X509_NAME*>(name), NID_countryName, text, sizeof text) <= 0) return "";
  std::string country(text);
  for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return country;
}

// "2031-05-01" from an ASN1_TIME.
inline std::string date_of(const ASN1_TIME* time) {
  struct tm parts {};
  if (!time || ASN1_TIME_to_tm(time, &parts) != 1) return "";
  char text[16];
  if (std::strftime(text, sizeof text, "%Y-%m-%d", &parts) == 0) return "";
  return text;
}

inline Bytes der_of(X509* certificate) {
  unsigned char* out = nullptr;
  const int length = i2d_X509(certificate, &out);
  if (length <= 0) return {};
  Bytes der(out, out + length);
  OPENSSL_free(out);
  return der;
}

}  // namespace borderpost::station::emrtd::ossl
