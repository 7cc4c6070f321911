// libFuzzer target: what a chip sends, from arbitrary bytes. The first byte picks the reader: the
// LDS's TLV structures (walked into every constructed value), the size of a file from its first
// bytes, a command APDU and its protection (a virtual chip's side), the LDS files (DG14's Chip
// Authentication offers among them) and EF.SOD, or a secure messaging answer under 3DES or AES.
// Only FormatError and SecureMessagingError may come out; anything else (a crash, a sanitizer
// report, another exception) is a bug.
#include <cstddef>
#include <cstdint>

#include "emrtd/chip_auth.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/passive_auth.hpp"
#include "emrtd/secure_messaging.hpp"
#include "emrtd/tlv.hpp"

namespace {

using namespace borderpost::station::emrtd;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

void walk(ByteView data, int depth) {
  std::size_t total = 0;
  for (const auto& tlv : read_tlvs(data)) {
    require(tlv.size <= data.size() - total);
    total += tlv.size;
    if (tlv.constructed() && depth < 16) walk(tlv.value, depth + 1);
  }
  require(total == data.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  const ByteView data(bytes + 1, size - 1);
  try {
    switch (bytes[0] % 7) {
      case 0:
        walk(data, 0);
        break;
      case 1:
        if (const auto total = tlv_total_size(data)) require(*total >= 2);
        break;
      case 2: {  // what a terminal sends a virtual chip: the command, then its protection
        const auto command = CommandApdu::parse(data);
        require(command.encode().size() <= data.size());
        static const Bytes key(16, 0x2B);
        auto sm = SecureMessaging::aes(key, key);
        require(sm.unprotect_command(command).data.size() <= data.size());
        break;
      }
      case 3: {
        static const Bytes key(16, 0x2B);
        auto sm = SecureMessaging::aes(key, key);
        sm.protect(read_binary(0, 4));
        require(sm.unprotect(ResponseApdu::parse(data)).data.size() <= data.size());
        break;
      }
      case 4: {  // the LDS files a chip sends, each reader in turn
        try { parse_ef_com(data); } catch (const FormatError&) {}
        try { require(parse_dg1(data).size() <= 92); } catch (const FormatError&) {}
        try { for (const auto& face : parse_dg2(data)) require(face.encoded.size() <= data.size()); } catch (const FormatError&) {}
        try { parse_dg11(data); } catch (const FormatError&) {}
        try { parse_dg12(data); } catch (const FormatError&) {}
        try { parse_dg14(data); } catch (const FormatError&) {}
        try {  // DG14's Chip Authentication offers, each with its key
          for (const auto& offer : chip_authentication_offers(data))
            require(!offer.public_key.empty() && offer.public_key.size() <= data.size());
        } catch (const FormatError&) {}
        parse_dg15(data);
        break;
      }
      case 5: {  // EF.SOD: the CMS structure and the LDS security object inside it
        const auto sod = parse_security_object(data);
        require(!sod.hashes.empty());
        break;
      }
      default: {
        static const SessionKeys session{basic_access_keys("L898902C<369080619406236"), {}};
        auto sm = SecureMessaging::des(session);
        sm.protect(read_binary(0, 4));
        const auto plain = sm.unprotect(ResponseApdu::parse(data));
        require(plain.data.size() <= data.size());
        break;
      }
    }
  } catch (const FormatError&) {
  } catch (const SecureMessagingError&) {
  }
  return 0;
}
