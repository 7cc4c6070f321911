// Basic Access Control key derivation and mutual authentication (see bac.hpp).
#include "emrtd/bac.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "des.hpp"

namespace borderpost::station::emrtd {

namespace {

// DES keys carry odd parity in the lowest bit of each byte.
std::uint8_t with_odd_parity(std::uint8_t b) {
  int ones = 0;
  for (int bit = 1; bit < 8; ++bit) ones += (b >> bit) & 1;
  return static_cast<std::uint8_t>((b & 0xFE) | (ones % 2 == 0 ? 1 : 0));
}

char printed_check(const mrz::Document& document, std::string_view field) {
  for (const auto& check : document.checks)
    if (check.field == field) return check.printed;
  throw std::invalid_argument("the MRZ has no " + std::string(field) + " check digit");
}

}  // namespace

DesKey derive_des_key(ByteView seed, std::uint32_t counter) {
  Bytes input(seed.begin(), seed.end());
  for (int shift = 24; shift >= 0; shift -= 8) input.push_back(static_cast<std::uint8_t>(counter >> shift));
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(input.data(), input.size(), digest);
  DesKey key;
  std::transform(digest, digest + key.size(), key.begin(), with_odd_parity);
  return key;
}

std::string mrz_information(const mrz::Document& document) {
  const auto& number = document.document_number.raw;
  if (number.empty() || document.birth_date.raw.size() != 6 || document.expiry_date.raw.size() != 6)
    throw std::invalid_argument("the MRZ lacks the document number or a date the chip's keys come from");
  std::string info = number;
  info.push_back(printed_check(document, "document_number"));
  info.append(document.birth_date.raw).push_back(printed_check(document, "birth_date"));
  info.append(document.expiry_date.raw).push_back(printed_check(document, "expiry_date"));
  return info;
}

namespace {

// 9.7.2: session keys from K.IFD xor K.IC; the counter from the challenges' last four bytes each.
SessionKeys session_from(ByteView k_ifd, ByteView k_ic, ByteView rnd_ic, ByteView rnd_ifd) {
  Bytes seed(16);
  for (std::size_t i = 0; i < 16; ++i) seed[i] = static_cast<std::uint8_t>(k_ifd[i] ^ k_ic[i]);
  SessionKeys session{{derive_des_key(seed, 1), derive_des_key(seed, 2)}, {}};
  std::copy(rnd_ic.begin() + 4, rnd_ic.end(), session.ssc.begin());
  std::copy(rnd_ifd.begin() + 4, rnd_ifd.end(), session.ssc.begin() + 4);
  return session;
}

}  // namespace

KeyPair basic_access_keys(std::string_view mrz_information) {
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(mrz_information.data()), mrz_information.size(), digest);
  const ByteView seed(digest, 16);
  return {derive_des_key(seed, 1), derive_des_key(seed, 2)};
}

Bytes bac_authentication_data(const KeyPair& keys, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd) {
  if (rnd_ic.size() != 8 || rnd_ifd.size() != 8 || k_ifd.size() != 16)
    throw std::invalid_argument("BAC takes 8-byte challenges and a 16-byte key part");
  const Bytes e_ifd = des::encrypt(keys.enc, concat({rnd_ifd, rnd_ic, k_ifd}));
  const Bytes m_ifd = des::retail_mac(keys.mac, des::pad(e_ifd));
  return concat({e_ifd, m_ifd});
}

SessionKeys bac_session(const KeyPair& keys, ByteView answer, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd) {
  if (answer.size() != 40) throw FormatError("EXTERNAL AUTHENTICATE answered " + std::to_string(answer.size()) + " bytes, not 40");
  const auto e_ic = answer.first(32), m_ic = answer.subspan(32);
  const Bytes expected = des::retail_mac(keys.mac, des::pad(e_ic));
  if (CRYPTO_memcmp(expected.data(), m_ic.data(), 8) != 0)
    throw std::runtime_error("the chip's BAC answer does not verify: the keys from the MRZ are not the chip's");
  const Bytes r = des::decrypt(keys.enc, e_ic);
  if (!std::equal(rnd_ic.begin(), rnd_ic.end(), r.begin()) || !std::equal(rnd_ifd.begin(), rnd_ifd.end(), r.begin() + 8))
    throw std::runtime_error("the chip did not return the challenges of this authentication");
  return session_from(k_ifd, ByteView(r).subspan(16), rnd_ic, rnd_ifd);
}

ChipBacAnswer bac_chip_answer(const KeyPair& keys, ByteView command_data, ByteView rnd_ic, ByteView k_ic) {
  if (command_data.size() != 40 || rnd_ic.size() != 8 || k_ic.size() != 16)
    throw std::runtime_error("EXTERNAL AUTHENTICATE takes 40 bytes of data");
  const auto e_ifd = command_data.first(32), m_ifd = command_data.subspan(32);
  const Bytes expected = des::retail_mac(keys.mac, des::pad(e_ifd));
  if (CRYPTO_memcmp(expected.data(), m_ifd.data(), 8) != 0) throw std::runtime_error("the terminal's BAC MAC does not verify");
  const Bytes s = des::decrypt(keys.enc, e_ifd);
  if (!std::equal(rnd_ic.begin(), rnd_ic.end(), s.begin() + 8)) throw std::runtime_error("the terminal did not return RND.IC");
  const ByteView rnd_ifd = ByteView(s).first(8), k_ifd = ByteView(s).subspan(16);
  const Bytes e_ic = des::encrypt(keys.enc, concat({rnd_ic, rnd_ifd, k_ic}));
  return {concat({e_ic, des::retail_mac(keys.mac, des::pad(e_ic))}), session_from(k_ifd, k_ic, rnd_ic, rnd_ifd)};
}

}  // namespace borderpost::station::emrtd
