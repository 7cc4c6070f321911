// Chip Authentication on the terminal's side (see chip_auth.hpp): DG14 read with the LDS's TLV
// reader, the key agreement with OpenSSL 3, the commands built here.
#include "emrtd/chip_auth.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>

#include "openssl_util.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

using Key = std::unique_ptr<EVP_PKEY, ossl::Deleter<EVP_PKEY_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, ossl::Deleter<EVP_PKEY_CTX_free>>;

// bsi-de protocols(2) smartcard(2): 0.4.0.127.0.7.2.2. Below it id-PK (1) with DH (1) and ECDH
// (2), and id-CA (3) with DH (1) and ECDH (2), each with four ciphers (Part 11, 9.2.7).
constexpr std::array<std::uint8_t, 7> kSmartcard{0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02};
constexpr std::uint8_t kPk = 1, kCa = 3, kDh = 1, kEcdh = 2;
constexpr std::array<const char*, 4> kDhProtocols{"id-CA-DH-3DES-CBC-CBC", "id-CA-DH-AES-CBC-CMAC-128",
                                                  "id-CA-DH-AES-CBC-CMAC-192", "id-CA-DH-AES-CBC-CMAC-256"};
constexpr std::array<const char*, 4> kEcdhProtocols{"id-CA-ECDH-3DES-CBC-CBC", "id-CA-ECDH-AES-CBC-CMAC-128",
                                                    "id-CA-ECDH-AES-CBC-CMAC-192", "id-CA-ECDH-AES-CBC-CMAC-256"};

bool under_smartcard(ByteView oid, std::size_t arcs_below) {
  return oid.size() == kSmartcard.size() + arcs_below && std::equal(kSmartcard.begin(), kSmartcard.end(), oid.begin());
}

// The whole encoding (tag, length, value) of a TLV read out of a larger buffer.
ByteView whole(const Tlv& tlv) {
  return ByteView(tlv.value.data() + tlv.value.size() - tlv.size, tlv.size);
}

std::uint64_t unsigned_integer(const Tlv& tlv, const char* what) {
  if (tlv.tag != 0x02 || tlv.value.empty() || (tlv.value[0] & 0x80))
    throw FormatError(std::string("DG14's ") + what + " is not a non-negative INTEGER");
  ByteView digits = tlv.value;
  while (digits.size() > 1 && digits[0] == 0) digits = digits.subspan(1);
  if (digits.size() > 8) throw FormatError(std::string("DG14's ") + what + " is too large");
  std::uint64_t value = 0;
  for (const auto digit : digits) value = value << 8 | digit;
  return value;
}

Bytes minimal_unsigned(std::uint64_t value) {
  Bytes out;
  do {
    out.insert(out.begin(), static_cast<std::uint8_t>(value));
    value >>= 8;
  } while (value);
  return out;
}

Key parse_public_key(ByteView spki) {
  const unsigned char* p = spki.data();
  Key key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  if (!key || p != spki.data() + spki.size()) {
    ERR_clear_error();
    throw FormatError("DG14's Chip Authentication public key does not parse");
  }
  return key;
}

// "brainpoolP256r1 (explicit parameters)", for the report.
std::string curve_of(EVP_PKEY* key) {
  char group[64] = {}, encoding[32] = {};
  EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
  EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding, sizeof encoding, nullptr);
  ERR_clear_error();
  const bool spelt_out = std::string(encoding) == OSSL_PKEY_EC_ENCODING_EXPLICIT;
  if (!group[0]) return "an explicitly given curve";
  return std::string(group) + (spelt_out ? " (explicit parameters)" : "");
}

// An ephemeral key pair on the chip key's curve (its domain parameters as the template, whether
// named or spelt out), its public point as the commands carry it (04 || x || y), and the shared
// secret: the x-coordinate of the agreed point (Part 11, 9.7.1, note).
struct Agreement {
  Bytes public_point;
  Bytes shared_secret;
};
Agreement agree(EVP_PKEY* chip_key) {
  KeyContext generation(EVP_PKEY_CTX_new_from_pkey(nullptr, chip_key, nullptr));
  EVP_PKEY* made = nullptr;
  if (!generation || EVP_PKEY_keygen_init(generation.get()) != 1 || EVP_PKEY_generate(generation.get(), &made) != 1)
    throw FormatError("no ephemeral key can be made on the curve of DG14's key (" + ossl::last_error() + ")");
  const Key ephemeral(made);
  Agreement out;
  std::size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(ephemeral.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &length) != 1)
    throw std::runtime_error("the ephemeral public key does not encode: " + ossl::last_error());
  out.public_point.resize(length);
  if (EVP_PKEY_get_octet_string_param(ephemeral.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.public_point.data(), length,
                                      &length) != 1)
    throw std::runtime_error("the ephemeral public key does not encode: " + ossl::last_error());
  KeyContext derivation(EVP_PKEY_CTX_new_from_pkey(nullptr, ephemeral.get(), nullptr));
  if (!derivation || EVP_PKEY_derive_init(derivation.get()) != 1 || EVP_PKEY_derive_set_peer(derivation.get(), chip_key) != 1 ||
      EVP_PKEY_derive(derivation.get(), nullptr, &length) != 1)
    throw FormatError("ECDH with DG14's key fails (" + ossl::last_error() + ")");
  out.shared_secret.resize(length);
  if (EVP_PKEY_derive(derivation.get(), out.shared_secret.data(), &length) != 1)
    throw FormatError("ECDH with DG14's key fails (" + ossl::last_error() + ")");
  out.shared_secret.resize(length);
  return out;
}

Bytes kdf(const EVP_MD* md, ByteView secret, std::uint32_t counter, std::size_t length) {
  Bytes input(secret.begin(), secret.end());
  for (int shift = 24; shift >= 0; shift -= 8) input.push_back(static_cast<std::uint8_t>(counter >> shift));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &size, md, nullptr) != 1 || size < length)
    throw std::runtime_error("the key derivation's hash failed in OpenSSL");
  return Bytes(digest, digest + length);
}

bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

}  // namespace

std::vector<ChipAuthenticationOffer> chip_authentication_offers(ByteView dg14_file) {
  const Bytes infos = parse_dg14(dg14_file);
  struct PublicKeyInfo {
    std::uint8_t algorithm = kEcdh;
    Bytes spki;
    std::optional<std::uint64_t> key_id;
  };
  std::vector<PublicKeyInfo> keys;
  std::vector<ChipAuthenticationOffer> offers;
  for (const auto& info : read_tlvs(read_tlv(infos).value)) {
    if (info.tag != 0x30) throw FormatError("a SecurityInfo of DG14 is not a SEQUENCE");
    const auto fields = read_tlvs(info.value);
    if (fields.size() < 2 || fields[0].tag != 0x06) throw FormatError("a SecurityInfo of DG14 lacks its protocol or its data");
    const ByteView oid = fields[0].value;
    const auto optional_key_id = [&](std::size_t at) -> std::optional<std::uint64_t> {
      if (fields.size() <= at) return std::nullopt;
      return unsigned_integer(fields[at], "Chip Authentication key identifier");
    };
    if (under_smartcard(oid, 2) && oid[7] == kPk && (oid[8] == kDh || oid[8] == kEcdh)) {
      if (fields[1].tag != 0x30) throw FormatError("DG14's ChipAuthenticationPublicKeyInfo holds no SubjectPublicKeyInfo");
      const ByteView spki = whole(fields[1]);
      keys.push_back({oid[8], Bytes(spki.begin(), spki.end()), optional_key_id(2)});
    } else if (under_smartcard(oid, 3) && oid[7] == kCa && (oid[8] == kDh || oid[8] == kEcdh) && oid[9] >= 1 && oid[9] <= 4) {
      ChipAuthenticationOffer offer;
      offer.protocol = (oid[8] == kDh ? kDhProtocols : kEcdhProtocols)[oid[9] - 1u];
      offer.protocol_oid.assign(oid.begin(), oid.end());
      offer.version = static_cast<long>(std::min<std::uint64_t>(unsigned_integer(fields[1], "Chip Authentication version"), 1000));
      offer.key_id = optional_key_id(2);
      offers.push_back(std::move(offer));
    }
    // Every other SecurityInfo (PACE, Active Authentication, Terminal Authentication, ...) is not ours.
  }
  if (offers.empty()) {
    // TR-03110 1.11: a chip with only the public key does Chip Authentication with 3DES.
    for (const auto& key : keys) {
      ChipAuthenticationOffer offer;
      offer.protocol = key.algorithm == kDh ? kDhProtocols[0] : kEcdhProtocols[0];
      offer.protocol_oid.assign(kSmartcard.begin(), kSmartcard.end());
      offer.protocol_oid.insert(offer.protocol_oid.end(), {kCa, key.algorithm, 1});
      offer.key_id = key.key_id;
      offers.push_back(std::move(offer));
    }
  }
  for (auto& offer : offers) {
    const PublicKeyInfo* key = nullptr;
    for (const auto& candidate : keys)
      if (candidate.key_id == offer.key_id) key = &candidate;
    if (!key && keys.size() == 1) key = &keys.front();  // one key: whatever the identifiers say, it is the one
    if (!key) throw FormatError("DG14 offers " + offer.protocol + " without its public key");
    const bool ecdh = offer.protocol.starts_with("id-CA-ECDH");
    if (ecdh != (key->algorithm == kEcdh)) throw FormatError("DG14 offers " + offer.protocol + " with a key of the other algorithm");
    offer.public_key = key->spki;
    if (!ecdh) {
      offer.unsupported = "Chip Authentication with DH (" + offer.protocol + ") is not supported by this station";
    } else if (offer.version != 1) {
      offer.unsupported = "Chip Authentication version " + std::to_string(offer.version) + " is not supported (Doc 9303 has version 1)";
    } else if (EVP_PKEY_base_id(parse_public_key(offer.public_key).get()) != EVP_PKEY_EC) {
      throw FormatError("DG14's key for " + offer.protocol + " is not an EC key");
    }
  }
  std::stable_sort(offers.begin(), offers.end(), [](const ChipAuthenticationOffer& a, const ChipAuthenticationOffer& b) {
    const auto rank = [](const ChipAuthenticationOffer& o) {
      return (o.unsupported.empty() ? 0 : 2) + (ends_with(o.protocol, "3DES-CBC-CBC") ? 1 : 0);
    };
    return rank(a) < rank(b);
  });
  return offers;
}

ChipAuthenticationKeys chip_authentication_keys(std::string_view protocol, ByteView shared_secret) {
  ChipAuthenticationKeys keys;
  if (!protocol.starts_with("id-CA-")) {
    throw std::invalid_argument("no Chip Authentication protocol is called " + std::string(protocol));
  } else if (ends_with(protocol, "3DES-CBC-CBC")) {
    keys.cipher = SmCipher::des3;
    const DesKey enc = derive_des_key(shared_secret, 1), mac = derive_des_key(shared_secret, 2);
    keys.enc.assign(enc.begin(), enc.end());
    keys.mac.assign(mac.begin(), mac.end());
  } else if (ends_with(protocol, "AES-CBC-CMAC-128")) {
    keys.enc = kdf(EVP_sha1(), shared_secret, 1, 16);
    keys.mac = kdf(EVP_sha1(), shared_secret, 2, 16);
  } else if (ends_with(protocol, "AES-CBC-CMAC-192") || ends_with(protocol, "AES-CBC-CMAC-256")) {
    const std::size_t length = ends_with(protocol, "192") ? 24 : 32;
    keys.enc = kdf(EVP_sha256(), shared_secret, 1, length);
    keys.mac = kdf(EVP_sha256(), shared_secret, 2, length);
  } else {
    throw std::invalid_argument("no Chip Authentication protocol is called " + std::string(protocol));
  }
  return keys;
}

SecureMessaging ChipAuthenticationKeys::channel() const {
  if (cipher == SmCipher::aes) return SecureMessaging::aes(enc, mac);
  SessionKeys session{};
  if (enc.size() != session.keys.enc.size() || mac.size() != session.keys.mac.size())
    throw std::invalid_argument("a 3DES session key has 16 bytes");
  std::copy(enc.begin(), enc.end(), session.keys.enc.begin());
  std::copy(mac.begin(), mac.end(), session.keys.mac.begin());
  return SecureMessaging::des(session);  // the counter at zero: not BAC's (Part 11, 9.8.6.3)
}

std::string run_chip_authentication(ChipSession& session, const ChipAuthenticationOffer& offer) {
  if (!offer.unsupported.empty()) throw std::invalid_argument(offer.unsupported);
  const Key chip_key = parse_public_key(offer.public_key);
  if (EVP_PKEY_base_id(chip_key.get()) != EVP_PKEY_EC) throw FormatError("DG14's key for " + offer.protocol + " is not an EC key");
  const Agreement agreement = agree(chip_key.get());
  const ChipAuthenticationKeys keys = chip_authentication_keys(offer.protocol, agreement.shared_secret);
  const Bytes key_reference = offer.key_id ? encode_tlv(0x84, minimal_unsigned(*offer.key_id)) : Bytes{};
  const auto refused = [](const std::string& what, std::uint16_t sw) {
    return ChipAuthenticationError("the chip refused " + what + " (" + describe_status(sw) + ")");
  };
  bool agreed = false;
  if (keys.cipher == SmCipher::des3) {
    const auto answer =
        session.exchange(CommandApdu{0x00, 0x22, 0x41, 0xA6, concat({encode_tlv(0x91, agreement.public_point), key_reference}), std::nullopt});
    agreed = answer.ok();
    // 6A80: the chip checked the terminal's key and refused it. Anything else: a chip that has
    // only the MSE:Set AT form, which some 3DES chips were issued with (Part 11, 8.5 note 1).
    if (answer.sw == 0x6A80) throw refused("the terminal's key in MSE:Set KAT", answer.sw);
  }
  if (!agreed) {
    const auto set =
        session.exchange(CommandApdu{0x00, 0x22, 0x41, 0xA4, concat({encode_tlv(0x80, offer.protocol_oid), key_reference}), std::nullopt});
    if (!set.ok()) throw refused(offer.protocol + " in MSE:Set AT", set.sw);
    const auto answer =
        session.exchange(CommandApdu{0x00, 0x86, 0x00, 0x00, encode_tlv(0x7C, encode_tlv(0x80, agreement.public_point)), 256});
    if (!answer.ok()) throw refused("the terminal's key in GENERAL AUTHENTICATE", answer.sw);
    if (!answer.data.empty() && read_tlv(answer.data).tag != 0x7C)
      throw FormatError("the chip's GENERAL AUTHENTICATE answer is not dynamic authentication data");
  }
  // The key agreement's answers came under the old keys; from here on, the new ones (Part 11, 9.8.2).
  session.restart_secure_messaging(keys.channel());
  // The proof: EF.COM's first bytes, answered under keys only DG14's private key gives.
  const std::string not_the_key = "): it does not hold DG14's private key";
  try {
    auto answer = session.exchange(select_file(ef_com().file_id));
    if (answer.ok()) answer = session.exchange(read_binary(0, 4));
    if (!answer.ok() || answer.data.empty() || answer.data[0] != ef_com().tag)
      throw ChipAuthenticationError("the chip does not answer under the keys agreed with DG14's public key (" +
                                    describe_status(answer.sw) + not_the_key);
  } catch (const SecureMessagingError& e) {
    throw ChipAuthenticationError(std::string("the chip's answer under the keys agreed with DG14's public key does not verify (") +
                                  e.what() + not_the_key);
  }
  return offer.protocol + " on " + curve_of(chip_key.get());
}

}  // namespace borderpost::station::emrtd
