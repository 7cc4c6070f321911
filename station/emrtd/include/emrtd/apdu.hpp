// ISO/IEC 7816-4 command and response APDUs, short and extended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd {

struct CommandApdu {
  std::uint8_t cla = 0x00, ins = 0, p1 = 0, p2 = 0;
  Bytes data;
  std::optional<std::size_t> le;  // bytes expected back (256 short / 65536 extended as "all"); none: no data back
  // Short form when data and le fit (<= 255 bytes, <= 256 expected), extended form otherwise.
  Bytes encode() const;
  // The command in its encoded form (ISO/IEC 7816-3 cases 1 to 4, short and extended); throws
  // FormatError for bytes that are none of them.
  static CommandApdu parse(ByteView raw);
};

struct ResponseApdu {
  Bytes data;
  std::uint16_t sw = 0;
  bool ok() const { return sw == 0x9000; }
  // The last two bytes are the status word; throws FormatError for fewer than two bytes.
  static ResponseApdu parse(ByteView raw);
};

// "9000 (success)", "6982 (security status not satisfied)", ... for messages and logs.
std::string describe_status(std::uint16_t sw);

// The commands of the LDS application (Doc 9303 Part 10 and 11).
CommandApdu select_application(ByteView aid);           // SELECT by DF name
CommandApdu select_master_file();                       // SELECT MF (3F00), no answer data
CommandApdu select_file(std::uint16_t file_id);          // SELECT EF under the current DF, no answer data
CommandApdu read_binary(std::size_t offset, std::size_t length);  // offset < 32768; length 1..65536
CommandApdu get_challenge();
CommandApdu external_authenticate(ByteView data);

}  // namespace borderpost::station::emrtd
