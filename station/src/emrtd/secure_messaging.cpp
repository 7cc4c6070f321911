// 3DES secure messaging (see secure_messaging.hpp).
#include "station/emrtd/secure_messaging.hpp"

#include <openssl/crypto.h>

#include "des.hpp"
#include "station/emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

void DesSecureMessaging::step() {
  for (auto it = ssc_.rbegin(); it != ssc_.rend(); ++it)
    if (++*it != 0) break;
}

Bytes DesSecureMessaging::mac_with_counter(ByteView data) {
  step();
  return des::retail_mac(keys_.mac, des::pad(concat({ssc_, data})));
}

CommandApdu DesSecureMessaging::protect(const CommandApdu& plain) {
  CommandApdu out{static_cast<std::uint8_t>(plain.cla | 0x0C), plain.ins, plain.p1, plain.p2, {}, std::nullopt};
  const Bytes header = des::pad(Bytes{out.cla, out.ins, out.p1, out.p2});
  Bytes objects;
  if (!plain.data.empty()) {
    const Bytes encrypted = concat({Bytes{0x01}, des::encrypt(keys_.enc, des::pad(plain.data))});
    objects = encode_tlv(0x87, encrypted);
  }
  if (plain.le) {
    const std::size_t n = *plain.le;
    const Bytes le = n <= 256 ? Bytes{static_cast<std::uint8_t>(n == 256 ? 0 : n)}
                              : Bytes{static_cast<std::uint8_t>(n == 65536 ? 0 : n >> 8), static_cast<std::uint8_t>(n)};
    const Bytes do97 = encode_tlv(0x97, le);
    objects.insert(objects.end(), do97.begin(), do97.end());
  }
  const Bytes mac = mac_with_counter(concat({header, objects}));
  const Bytes do8e = encode_tlv(0x8E, mac);
  out.data = concat({objects, do8e});
  // Everything the chip has to send is wrapped in data objects: ask for all of it.
  out.le = plain.le && *plain.le > 231 ? std::size_t{65536} : std::size_t{256};
  return out;
}

ResponseApdu DesSecureMessaging::unprotect(const ResponseApdu& answer) {
  if (answer.data.empty()) {
    step();  // the chip counted the command; its error ends the session
    return answer;
  }
  std::optional<Tlv> do87, do99, do8e;
  std::size_t covered = 0;  // DO'87' and DO'99' as sent: the MAC is over their bytes
  try {
    ByteView rest(answer.data);
    while (!rest.empty()) {
      const Tlv tlv = read_tlv(rest);
      if (tlv.tag == 0x87) do87 = tlv;
      else if (tlv.tag == 0x99) do99 = tlv;
      else if (tlv.tag == 0x8E) do8e = tlv;
      else throw SecureMessagingError("an unexpected data object in a secure messaging answer");
      if (tlv.tag != 0x8E) covered = answer.data.size() - rest.size() + tlv.size;
      rest = rest.subspan(tlv.size);
    }
  } catch (const FormatError& e) {
    throw SecureMessagingError(std::string("a malformed secure messaging answer: ") + e.what());
  }
  if (!do8e || do8e->value.size() != 8) throw SecureMessagingError("the secure messaging answer has no MAC");
  if (!do99 || do99->value.size() != 2) throw SecureMessagingError("the secure messaging answer has no status object");
  const Bytes expected = mac_with_counter(ByteView(answer.data).first(covered));
  if (CRYPTO_memcmp(expected.data(), do8e->value.data(), 8) != 0)
    throw SecureMessagingError("the MAC of the chip's answer is wrong: the answer was altered or the session lost");
  ResponseApdu plain;
  plain.sw = static_cast<std::uint16_t>(do99->value[0] << 8 | do99->value[1]);
  if (do87) {
    if (do87->value.empty() || do87->value[0] != 0x01 || (do87->value.size() - 1) % 8 != 0)
      throw SecureMessagingError("the encrypted data of the chip's answer is malformed");
    try {
      plain.data = des::unpad(des::decrypt(keys_.enc, do87->value.subspan(1)));
    } catch (const FormatError& e) {
      throw SecureMessagingError(std::string("the chip's answer does not decrypt: ") + e.what());
    }
  }
  return plain;
}

}  // namespace borderpost::station::emrtd
