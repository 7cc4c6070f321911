// APDU encoding and the LDS commands (see apdu.hpp).
#include "emrtd/apdu.hpp"

#include <cstdio>
#include <stdexcept>

namespace borderpost::station::emrtd {

Bytes CommandApdu::encode() const {
  Bytes out{cla, ins, p1, p2};
  const bool extended = data.size() > 255 || (le && *le > 256);
  if (data.size() > 65535 || (le && (*le == 0 || *le > 65536))) throw std::invalid_argument("APDU data or Le out of range");
  if (!data.empty()) {
    if (extended) {
      out.push_back(0x00);
      out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
      out.push_back(static_cast<std::uint8_t>(data.size()));
    } else {
      out.push_back(static_cast<std::uint8_t>(data.size()));
    }
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) {
    const std::size_t n = *le;
    if (extended) {
      if (data.empty()) out.push_back(0x00);  // extended Le alone starts with a zero byte
      out.push_back(static_cast<std::uint8_t>(n == 65536 ? 0 : n >> 8));
      out.push_back(static_cast<std::uint8_t>(n == 65536 ? 0 : n));
    } else {
      out.push_back(static_cast<std::uint8_t>(n == 256 ? 0 : n));
    }
  }
  return out;
}

CommandApdu CommandApdu::parse(ByteView raw) {
  if (raw.size() < 4) throw FormatError("a command APDU has at least a four-byte header");
  CommandApdu c{raw[0], raw[1], raw[2], raw[3], {}, std::nullopt};
  const ByteView body = raw.subspan(4);
  const auto short_le = [](std::uint8_t b) { return b == 0 ? std::size_t{256} : std::size_t{b}; };
  const auto long_value = [](std::uint8_t hi, std::uint8_t lo) { return static_cast<std::size_t>(hi << 8 | lo); };
  if (body.empty()) return c;                                           // case 1
  if (body.size() == 1) return c.le = short_le(body[0]), c;             // case 2 short
  if (body[0] != 0 || body.size() == 2) {                               // cases 3 and 4 short
    const std::size_t lc = body[0];
    if (lc == 0 || body.size() < 1 + lc || body.size() > 2 + lc) throw FormatError("a short command APDU's length is inconsistent");
    c.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
    if (body.size() == 2 + lc) c.le = short_le(body[1 + lc]);
    return c;
  }
  if (body.size() == 3) {                                               // case 2 extended
    const std::size_t le = long_value(body[1], body[2]);
    return c.le = le == 0 ? 65536 : le, c;
  }
  const std::size_t lc = long_value(body[1], body[2]);                  // cases 3 and 4 extended
  if (lc == 0 || body.size() < 3 + lc || (body.size() != 3 + lc && body.size() != 5 + lc))
    throw FormatError("an extended command APDU's length is inconsistent");
  c.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
  if (body.size() == 5 + lc) {
    const std::size_t le = long_value(body[3 + lc], body[4 + lc]);
    c.le = le == 0 ? 65536 : le;
  }
  return c;
}

ResponseApdu ResponseApdu::parse(ByteView raw) {
  if (raw.size() < 2) throw FormatError("a response APDU has at least a two-byte status word");
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<std::uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

std::string describe_status(std::uint16_t sw) {
  const char* meaning = "unexpected status";
  switch (sw) {
    case 0x9000: meaning = "success"; break;
    case 0x6282: meaning = "end of file reached before Le bytes"; break;
    case 0x6700: meaning = "wrong length"; break;
    case 0x6982: meaning = "security status not satisfied"; break;
    case 0x6983: meaning = "authentication method blocked"; break;
    case 0x6985: meaning = "conditions of use not satisfied"; break;
    case 0x6987: meaning = "secure messaging data objects missing"; break;
    case 0x6988: meaning = "secure messaging data objects incorrect"; break;
    case 0x6A82: meaning = "file not found"; break;
    case 0x6A86: meaning = "incorrect parameters P1-P2"; break;
    case 0x6B00: meaning = "offset outside the file"; break;
    case 0x6D00: meaning = "instruction not supported"; break;
    case 0x6E00: meaning = "class not supported"; break;
    default: break;
  }
  char text[64];
  std::snprintf(text, sizeof text, "%04X (%s)", static_cast<unsigned>(sw), meaning);
  return text;
}

CommandApdu select_application(ByteView aid) { return {0x00, 0xA4, 0x04, 0x0C, Bytes(aid.begin(), aid.end()), std::nullopt}; }

CommandApdu select_master_file() { return {0x00, 0xA4, 0x00, 0x0C, {0x3F, 0x00}, std::nullopt}; }

CommandApdu select_file(std::uint16_t file_id) {
  return {0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(file_id >> 8), static_cast<std::uint8_t>(file_id)}, std::nullopt};
}

CommandApdu read_binary(std::size_t offset, std::size_t length) {
  if (offset > 0x7FFF) throw std::invalid_argument("READ BINARY with an offset in P1-P2 reaches 32767 at most");
  return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset), {}, length};
}

CommandApdu get_challenge() { return {0x00, 0x84, 0x00, 0x00, {}, std::size_t{8}}; }

CommandApdu external_authenticate(ByteView data) {
  return {0x00, 0x82, 0x00, 0x00, Bytes(data.begin(), data.end()), std::size_t{40}};
}

}  // namespace borderpost::station::emrtd
