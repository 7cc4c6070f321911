// 3DES-CBC and the retail MAC over OpenSSL's EVP interface (see des.hpp).
#include "des.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

namespace borderpost::station::emrtd::des {

namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Bytes run(const EVP_CIPHER* cipher, ByteView key16, ByteView data, bool encrypting) {
  if (key16.size() != 16) throw std::invalid_argument("a two-key 3DES key has 16 bytes");
  if (data.size() % 8 != 0) throw FormatError("3DES data is not a whole number of 8-byte blocks");
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const std::uint8_t iv[8] = {};
  Bytes out(data.size() + 8);
  int written = 0, last = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key16.data(), iv, encrypting ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &written, data.data(), static_cast<int>(data.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + written, &last) != 1)
    throw std::runtime_error("3DES failed in OpenSSL");
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

// Single DES under one 8-byte key: 3DES EDE with K1 = K2.
Bytes single(ByteView key8, ByteView block, bool encrypting) {
  const Bytes doubled = concat({key8, key8});
  return run(EVP_des_ede_ecb(), doubled, block, encrypting);
}

}  // namespace

Bytes encrypt(ByteView key16, ByteView data) { return run(EVP_des_ede_cbc(), key16, data, true); }
Bytes decrypt(ByteView key16, ByteView data) { return run(EVP_des_ede_cbc(), key16, data, false); }

Bytes retail_mac(ByteView key16, ByteView data) {
  if (key16.size() != 16) throw std::invalid_argument("a two-key 3DES key has 16 bytes");
  if (data.empty() || data.size() % 8 != 0) throw FormatError("MAC input is not a whole number of 8-byte blocks");
  const auto ka = key16.first(8), kb = key16.subspan(8);
  // CBC with Ka alone over every block, then the last result through Kb (decrypt) and Ka.
  const Bytes doubled = concat({ka, ka});
  const Bytes chained = run(EVP_des_ede_cbc(), doubled, data, true);
  const ByteView h(chained.data() + chained.size() - 8, 8);
  return single(ka, single(kb, h, false), true);
}

Bytes pad(ByteView data, std::size_t block) {
  Bytes out(data.begin(), data.end());
  out.push_back(0x80);
  while (out.size() % block != 0) out.push_back(0x00);
  return out;
}

Bytes unpad(ByteView data) {
  std::size_t end = data.size();
  while (end > 0 && data[end - 1] == 0x00) --end;
  if (end == 0 || data[end - 1] != 0x80) throw FormatError("the decrypted data has no ISO/IEC 9797-1 padding");
  return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(end - 1));
}

}  // namespace borderpost::station::emrtd::des
