// BER-TLV as the LDS (ICAO Doc 9303 Part 10) and secure messaging (Part 11) use it: tags of one
// to three bytes, definite lengths of up to four bytes. Every read is bounds-checked; anything
// else is a FormatError.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd {

struct Tlv {
  std::uint32_t tag = 0;     // as written: 0x61, 0x5F1F, 0x7F61
  ByteView value;            // a view into the input
  std::size_t size = 0;      // header and value: where the next TLV starts
  bool constructed() const;  // bit 6 of the first tag byte: the value is a sequence of TLVs
};

// The TLV at the start of `data`.
Tlv read_tlv(ByteView data);
// Every TLV of `data`, which must be nothing but TLVs.
std::vector<Tlv> read_tlvs(ByteView data);
// The first TLV with `tag` among the TLVs of `data` (not searched deeper), or nothing.
std::optional<Tlv> find_tlv(ByteView data, std::uint32_t tag);

// How many bytes the TLV whose first bytes are `head` takes in all, once its header is complete
// (read a chip file's first bytes, then the rest); nothing while `head` is too short to tell.
std::optional<std::size_t> tlv_total_size(ByteView head);

Bytes encode_length(std::size_t length);
Bytes encode_tlv(std::uint32_t tag, ByteView value);

}  // namespace borderpost::station::emrtd
