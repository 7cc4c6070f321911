// AES over OpenSSL's EVP interface (see aes.hpp).
#include "aes.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/evp.h>

namespace borderpost::station::emrtd::aes {

namespace {

const EVP_CIPHER* cipher_for(ByteView key, bool cbc_mode) {
  switch (key.size()) {
    case 16: return cbc_mode ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
    case 24: return cbc_mode ? EVP_aes_192_cbc() : EVP_aes_192_ecb();
    case 32: return cbc_mode ? EVP_aes_256_cbc() : EVP_aes_256_ecb();
    default: throw std::invalid_argument("an AES key has 16, 24 or 32 bytes");
  }
}

Bytes run(const EVP_CIPHER* cipher, ByteView key, const std::uint8_t* iv, ByteView data, bool encrypting) {
  if (data.size() % 16 != 0) throw FormatError("AES data is not a whole number of 16-byte blocks");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  Bytes out(data.size() + 16);
  int written = 0, last = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv, encrypting ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &written, data.data(), static_cast<int>(data.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + written, &last) != 1)
    throw std::runtime_error("AES failed in OpenSSL");
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

}  // namespace

Bytes encrypt_block(ByteView key, ByteView block16) { return run(cipher_for(key, false), key, nullptr, block16, true); }

Bytes cbc(ByteView key, ByteView iv, ByteView data, bool encrypting) {
  if (iv.size() != 16) throw std::invalid_argument("an AES IV has 16 bytes");
  return run(cipher_for(key, true), key, iv.data(), data, encrypting);
}

Bytes cmac(ByteView key, ByteView data) {
  const char* name = key.size() == 16 ? "AES-128-CBC" : key.size() == 24 ? "AES-192-CBC" : "AES-256-CBC";
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> algorithm(EVP_MAC_fetch(nullptr, "CMAC", nullptr), EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(algorithm ? EVP_MAC_CTX_new(algorithm.get()) : nullptr,
                                                                EVP_MAC_CTX_free);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(name), 0),
                         OSSL_PARAM_construct_end()};
  Bytes out(16);
  std::size_t length = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != 16)
    throw std::runtime_error("AES-CMAC failed in OpenSSL");
  return out;
}

}  // namespace borderpost::station::emrtd::aes
