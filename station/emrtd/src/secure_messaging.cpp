// Secure messaging with 3DES or AES (see secure_messaging.hpp).
#include "emrtd/secure_messaging.hpp"

#include <openssl/crypto.h>

#include "aes.hpp"
#include "des.hpp"
#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

// The data objects of one protected message, each kept with the bytes the MAC covers.
struct ProtectedObjects {
  std::optional<Tlv> do87, do97, do99, do8e;
  std::size_t covered = 0;  // the bytes before DO'8E'
};

ProtectedObjects read_objects(ByteView data, const char* what) {
  ProtectedObjects objects;
  try {
    ByteView rest = data;
    while (!rest.empty()) {
      const Tlv tlv = read_tlv(rest);
      switch (tlv.tag) {
        case 0x87: objects.do87 = tlv; break;
        case 0x97: objects.do97 = tlv; break;
        case 0x99: objects.do99 = tlv; break;
        case 0x8E: objects.do8e = tlv; break;
        default: throw SecureMessagingError(std::string("an unexpected data object in a secure messaging ") + what);
      }
      if (tlv.tag != 0x8E) objects.covered = data.size() - rest.size() + tlv.size;
      rest = rest.subspan(tlv.size);
    }
  } catch (const FormatError& e) {
    throw SecureMessagingError(std::string("a malformed secure messaging ") + what + ": " + e.what());
  }
  if (!objects.do8e || objects.do8e->value.size() != 8)
    throw SecureMessagingError(std::string("the secure messaging ") + what + " has no MAC");
  return objects;
}

Bytes encode_le(std::size_t n) {
  if (n <= 256) return {static_cast<std::uint8_t>(n == 256 ? 0 : n)};
  return {static_cast<std::uint8_t>(n == 65536 ? 0 : n >> 8), static_cast<std::uint8_t>(n)};
}

std::size_t decode_le(ByteView le) {
  if (le.size() == 1) return le[0] == 0 ? 256 : le[0];
  if (le.size() == 2) {
    const std::size_t n = static_cast<std::size_t>(le[0] << 8 | le[1]);
    return n == 0 ? 65536 : n;
  }
  throw SecureMessagingError("the expected length object of a protected command is malformed");
}

void append(Bytes& to, ByteView more) { to.insert(to.end(), more.begin(), more.end()); }

}  // namespace

SecureMessaging SecureMessaging::des(const SessionKeys& session) {
  return SecureMessaging(SmCipher::des3, Bytes(session.keys.enc.begin(), session.keys.enc.end()),
                         Bytes(session.keys.mac.begin(), session.keys.mac.end()), Bytes(session.ssc.begin(), session.ssc.end()));
}

SecureMessaging SecureMessaging::aes(ByteView k_enc, ByteView k_mac) {
  for (const auto size : {k_enc.size(), k_mac.size()})
    if (size != 16 && size != 24 && size != 32) throw std::invalid_argument("an AES session key has 16, 24 or 32 bytes");
  return SecureMessaging(SmCipher::aes, Bytes(k_enc.begin(), k_enc.end()), Bytes(k_mac.begin(), k_mac.end()), Bytes(16, 0));
}

void SecureMessaging::step() {
  for (auto it = ssc_.rbegin(); it != ssc_.rend(); ++it)
    if (++*it != 0) break;
}

Bytes SecureMessaging::mac(ByteView data) const {
  const Bytes input = des::pad(concat({ssc_, data}), block());
  if (cipher_ == SmCipher::des3) return des::retail_mac(k_mac_, input);
  Bytes full = aes::cmac(k_mac_, input);
  full.resize(8);
  return full;
}

Bytes SecureMessaging::encrypt(ByteView plain) const {
  const Bytes padded = des::pad(plain, block());
  if (cipher_ == SmCipher::des3) return des::encrypt(k_enc_, padded);
  return aes::cbc(k_enc_, aes::encrypt_block(k_enc_, ssc_), padded, true);
}

Bytes SecureMessaging::decrypt(ByteView encrypted) const {
  if (encrypted.empty() || encrypted.size() % block() != 0)
    throw SecureMessagingError("the encrypted data is not a whole number of cipher blocks");
  try {
    const Bytes padded = cipher_ == SmCipher::des3 ? des::decrypt(k_enc_, encrypted)
                                                   : aes::cbc(k_enc_, aes::encrypt_block(k_enc_, ssc_), encrypted, false);
    return des::unpad(padded);
  } catch (const FormatError& e) {
    throw SecureMessagingError(std::string("the encrypted data does not decrypt: ") + e.what());
  }
}

Bytes SecureMessaging::do87(ByteView plain) const { return encode_tlv(0x87, concat({Bytes{0x01}, encrypt(plain)})); }

Bytes SecureMessaging::open_do87(ByteView value) const {
  if (value.empty() || value[0] != 0x01) throw SecureMessagingError("the encrypted data object has no padding indicator");
  return decrypt(value.subspan(1));
}

CommandApdu SecureMessaging::protect(const CommandApdu& plain) {
  step();
  CommandApdu out{static_cast<std::uint8_t>(plain.cla | 0x0C), plain.ins, plain.p1, plain.p2, {}, std::nullopt};
  Bytes objects;
  if (!plain.data.empty()) objects = do87(plain.data);
  if (plain.le) append(objects, encode_tlv(0x97, encode_le(*plain.le)));
  const Bytes header = des::pad(Bytes{out.cla, out.ins, out.p1, out.p2}, block());
  out.data = concat({objects, encode_tlv(0x8E, mac(concat({header, objects})))});
  // Everything the chip has to send is wrapped in data objects: ask for all of it.
  out.le = plain.le && *plain.le > 231 ? std::size_t{65536} : std::size_t{256};
  return out;
}

ResponseApdu SecureMessaging::unprotect(const ResponseApdu& answer) {
  step();
  // A plain error status ends the session; a plain success would be an answer nobody can vouch
  // for (a forged "9000" between reader and chip), so it is refused.
  if (answer.data.empty()) {
    if (answer.ok()) throw SecureMessagingError("the chip answered 9000 without secure messaging");
    return answer;
  }
  const auto objects = read_objects(answer.data, "answer");
  if (!objects.do99 || objects.do99->value.size() != 2) throw SecureMessagingError("the secure messaging answer has no status object");
  const Bytes expected = mac(ByteView(answer.data).first(objects.covered));
  if (CRYPTO_memcmp(expected.data(), objects.do8e->value.data(), 8) != 0)
    throw SecureMessagingError("the MAC of the chip's answer is wrong: the answer was altered or the session lost");
  ResponseApdu plain;
  plain.sw = static_cast<std::uint16_t>(objects.do99->value[0] << 8 | objects.do99->value[1]);
  if (objects.do87) plain.data = open_do87(objects.do87->value);
  return plain;
}

CommandApdu SecureMessaging::unprotect_command(const CommandApdu& command) {
  step();
  if ((command.cla & 0x0C) != 0x0C) throw SecureMessagingError("a plain command inside a secure messaging session");
  const auto objects = read_objects(command.data, "command");
  const Bytes header = des::pad(Bytes{command.cla, command.ins, command.p1, command.p2}, block());
  const Bytes expected = mac(concat({header, ByteView(command.data).first(objects.covered)}));
  if (CRYPTO_memcmp(expected.data(), objects.do8e->value.data(), 8) != 0)
    throw SecureMessagingError("the MAC of the terminal's command is wrong");
  CommandApdu plain{static_cast<std::uint8_t>(command.cla & ~0x0C), command.ins, command.p1, command.p2, {}, std::nullopt};
  if (objects.do87) plain.data = open_do87(objects.do87->value);
  if (objects.do97) plain.le = decode_le(objects.do97->value);
  return plain;
}

ResponseApdu SecureMessaging::protect_response(const ResponseApdu& plain) {
  step();
  Bytes objects;
  if (!plain.data.empty()) objects = do87(plain.data);
  append(objects, encode_tlv(0x99, Bytes{static_cast<std::uint8_t>(plain.sw >> 8), static_cast<std::uint8_t>(plain.sw)}));
  ResponseApdu out;
  out.data = concat({objects, encode_tlv(0x8E, mac(objects))});
  out.sw = plain.sw;
  return out;
}

}  // namespace borderpost::station::emrtd
