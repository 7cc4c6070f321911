// BER-TLV reading and writing, bounds-checked (see tlv.hpp).
#include "emrtd/tlv.hpp"

#include <cstdio>
#include <string>

namespace borderpost::station::emrtd {

namespace {

struct Header {
  std::uint32_t tag = 0;
  std::size_t header_size = 0;
  std::size_t length = 0;
};

// Nothing when `data` ends inside the header; throws on a header no LDS file has.
std::optional<Header> read_header(ByteView data) {
  Header h;
  std::size_t at = 0;
  if (data.empty()) return std::nullopt;
  const std::uint8_t first = data[at++];
  if (first == 0x00 || first == 0xFF) throw FormatError("a TLV cannot start with 00 or FF");
  h.tag = first;
  if ((first & 0x1F) == 0x1F) {  // the tag number follows in further bytes, bit 8 set on all but the last
    for (int i = 0;; ++i) {
      if (i == 2) throw FormatError("a TLV tag longer than three bytes");
      if (at >= data.size()) return std::nullopt;
      const std::uint8_t next = data[at++];
      h.tag = h.tag << 8 | next;
      if ((next & 0x80) == 0) break;
    }
  }
  if (at >= data.size()) return std::nullopt;
  const std::uint8_t length = data[at++];
  if (length < 0x80) {
    h.length = length;
  } else {
    const std::size_t count = length & 0x7F;
    if (count == 0) throw FormatError("an indefinite TLV length (not used in the LDS)");
    if (count > 4) throw FormatError("a TLV length of more than four bytes");
    if (at + count > data.size()) return std::nullopt;
    for (std::size_t i = 0; i < count; ++i) h.length = h.length << 8 | data[at++];
  }
  h.header_size = at;
  return h;
}

std::string hex_tag(std::uint32_t tag) {
  char text[16];
  std::snprintf(text, sizeof text, "%X", static_cast<unsigned>(tag));
  return text;
}

}  // namespace

bool Tlv::constructed() const {
  std::uint32_t first = tag;
  while (first > 0xFF) first >>= 8;
  return (first & 0x20) != 0;
}

Tlv read_tlv(ByteView data) {
  const auto header = read_header(data);
  if (!header) throw FormatError("the data ends inside a TLV header");
  if (header->length > data.size() - header->header_size) {
    throw FormatError("TLV " + hex_tag(header->tag) + " claims " + std::to_string(header->length) + " bytes but " +
                      std::to_string(data.size() - header->header_size) + " follow");
  }
  return Tlv{header->tag, data.subspan(header->header_size, header->length), header->header_size + header->length};
}

std::vector<Tlv> read_tlvs(ByteView data) {
  std::vector<Tlv> out;
  while (!data.empty()) {
    out.push_back(read_tlv(data));
    data = data.subspan(out.back().size);
  }
  return out;
}

std::optional<Tlv> find_tlv(ByteView data, std::uint32_t tag) {
  for (const auto& tlv : read_tlvs(data))
    if (tlv.tag == tag) return tlv;
  return std::nullopt;
}

std::optional<std::size_t> tlv_total_size(ByteView head) {
  const auto header = read_header(head);
  if (!header) return std::nullopt;
  return header->header_size + header->length;
}

Bytes encode_length(std::size_t length) {
  if (length < 0x80) return {static_cast<std::uint8_t>(length)};
  Bytes digits;
  for (auto n = length; n > 0; n >>= 8) digits.insert(digits.begin(), static_cast<std::uint8_t>(n & 0xFF));
  digits.insert(digits.begin(), static_cast<std::uint8_t>(0x80 | digits.size()));
  return digits;
}

Bytes encode_tlv(std::uint32_t tag, ByteView value) {
  Bytes out;
  for (int shift = 16; shift > 0; shift -= 8)
    if (tag >> shift) out.push_back(static_cast<std::uint8_t>(tag >> shift));
  out.push_back(static_cast<std::uint8_t>(tag));
  const auto length = encode_length(value.size());
  out.insert(out.end(), length.begin(), length.end());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

}  // namespace borderpost::station::emrtd
