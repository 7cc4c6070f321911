// The Logical Data Structure of an eMRTD (ICAO Doc 9303 Part 10): which file holds what, and the
// readers of the files the station uses. The chip is untrusted input: every reader checks its
// bounds and throws FormatError for anything malformed.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd {

// The files of the eMRTD application: short file identifiers and the tags their contents start with.
struct LdsFile {
  int data_group;          // 0 for EF.COM and EF.SOD
  std::uint16_t file_id;   // 0x0101 for DG1 ...
  std::uint8_t tag;        // 0x61 for DG1 ...
  const char* name;        // "DG1", "EF.COM", "EF.SOD"
};
const LdsFile& ef_com();
const LdsFile& ef_sod();
std::optional<LdsFile> data_group(int number);             // 1 to 16
std::optional<LdsFile> data_group_by_tag(std::uint8_t tag);  // what EF.COM's tag list names
constexpr std::uint16_t kEfCardAccess = 0x011C;             // outside the application (Part 11, 9.2.11)
extern const Bytes kEmrtdAid;                               // A0 00 00 02 47 10 01

struct EfCom {
  std::string lds_version;      // "0107"
  std::string unicode_version;  // "040000"
  std::vector<int> data_groups;  // in the order listed
};
EfCom parse_ef_com(ByteView file);

// DG1: the MRZ as the chip holds it, lines joined (88 characters for TD3, 90 for TD1, 72 for TD2),
// returned with newlines between the lines so mrz::parse reads it.
std::string parse_dg1(ByteView file);

// DG2: the facial images, as encoded on the chip (ISO/IEC 19794-5 inside the biometric template).
struct FaceImage {
  enum class Format { jpeg, jpeg2000 } format = Format::jpeg;
  Bytes encoded;
  int width = 0, height = 0;  // from the record header (0 when it does not say)
};
std::vector<FaceImage> parse_dg2(ByteView file);

// DG11 (additional personal details) and DG12 (additional document details): the fields present,
// by name ("full_name", "place_of_birth", "issuing_authority", "date_of_issue", ...), as text.
using DetailFields = std::vector<std::pair<std::string, std::string>>;
DetailFields parse_dg11(ByteView file);
DetailFields parse_dg12(ByteView file);

// DG15: the Active Authentication public key, as DER SubjectPublicKeyInfo.
Bytes parse_dg15(ByteView file);

// DG14 (and EF.CardAccess): the SecurityInfos, as DER, for OpenPACE and chip authentication.
Bytes parse_dg14(ByteView file);

}  // namespace borderpost::station::emrtd
