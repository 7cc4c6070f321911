// Readers of the LDS files (see lds.hpp).
#include "emrtd/lds.hpp"

#include <algorithm>
#include <array>

#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

constexpr std::array<LdsFile, 16> kDataGroups{{
    {1, 0x0101, 0x61, "DG1"},   {2, 0x0102, 0x75, "DG2"},   {3, 0x0103, 0x63, "DG3"},   {4, 0x0104, 0x76, "DG4"},
    {5, 0x0105, 0x65, "DG5"},   {6, 0x0106, 0x66, "DG6"},   {7, 0x0107, 0x67, "DG7"},   {8, 0x0108, 0x68, "DG8"},
    {9, 0x0109, 0x69, "DG9"},   {10, 0x010A, 0x6A, "DG10"}, {11, 0x010B, 0x6B, "DG11"}, {12, 0x010C, 0x6C, "DG12"},
    {13, 0x010D, 0x6D, "DG13"}, {14, 0x010E, 0x6E, "DG14"}, {15, 0x010F, 0x6F, "DG15"}, {16, 0x0110, 0x70, "DG16"},
}};
constexpr LdsFile kEfCom{0, 0x011E, 0x60, "EF.COM"};
constexpr LdsFile kEfSod{0, 0x011D, 0x77, "EF.SOD"};

// The file's outer TLV, which must have `tag` and fill the file.
Tlv outer(ByteView file, std::uint8_t tag, const char* name) {
  const Tlv tlv = read_tlv(file);
  if (tlv.tag != tag) throw FormatError(std::string(name) + " does not start with its tag");
  if (tlv.size != file.size()) throw FormatError(std::string(name) + " has bytes after its contents");
  return tlv;
}

std::string text(ByteView value) { return std::string(value.begin(), value.end()); }

std::uint32_t big_endian(ByteView bytes, std::size_t at, std::size_t count) {
  if (at + count > bytes.size()) throw FormatError("the facial record is shorter than its header");
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value << 8 | bytes[at + i];
  return value;
}

// ISO/IEC 19794-5: the general header ("FAC\0", version, length, count), one facial record
// header with its feature points, the image information, then the image.
FaceImage read_facial_record(ByteView block) {
  if (block.size() < 14 || block[0] != 'F' || block[1] != 'A' || block[2] != 'C' || block[3] != 0)
    throw FormatError("the biometric data block is not an ISO/IEC 19794-5 facial record");
  const std::size_t record = 14;
  const std::uint32_t record_length = big_endian(block, record, 4);
  const std::size_t feature_points = big_endian(block, record + 4, 2);
  const std::size_t image_info = record + 20 + 8 * feature_points;
  const std::size_t image = image_info + 12;
  if (record_length < image - record || record + record_length > block.size())
    throw FormatError("the facial record's length does not fit its data block");
  FaceImage face;
  const auto data_type = block[image_info + 1];
  if (data_type > 1) throw FormatError("the facial image is neither JPEG nor JPEG 2000");
  face.format = data_type == 0 ? FaceImage::Format::jpeg : FaceImage::Format::jpeg2000;
  face.width = static_cast<int>(big_endian(block, image_info + 2, 2));
  face.height = static_cast<int>(big_endian(block, image_info + 4, 2));
  face.encoded.assign(block.begin() + static_cast<std::ptrdiff_t>(image), block.begin() + static_cast<std::ptrdiff_t>(record + record_length));
  if (face.encoded.empty()) throw FormatError("the facial record holds no image");
  return face;
}

DetailFields read_details(ByteView file, std::uint8_t tag, const char* name,
                          const std::vector<std::pair<std::uint32_t, const char*>>& names) {
  const Tlv tlv = outer(file, tag, name);
  DetailFields fields;
  for (const auto& item : read_tlvs(tlv.value)) {
    const auto known = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == item.tag; });
    if (known != names.end()) fields.emplace_back(known->second, text(item.value));
  }
  return fields;
}

}  // namespace

const Bytes kEmrtdAid{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};

const LdsFile& ef_com() { return kEfCom; }
const LdsFile& ef_sod() { return kEfSod; }

std::optional<LdsFile> data_group(int number) {
  if (number < 1 || number > 16) return std::nullopt;
  return kDataGroups[static_cast<std::size_t>(number - 1)];
}

std::optional<LdsFile> data_group_by_tag(std::uint8_t tag) {
  for (const auto& file : kDataGroups)
    if (file.tag == tag) return file;
  return std::nullopt;
}

EfCom parse_ef_com(ByteView file) {
  const Tlv tlv = outer(file, 0x60, "EF.COM");
  EfCom com;
  if (const auto version = find_tlv(tlv.value, 0x5F01)) com.lds_version = text(version->value);
  if (const auto unicode = find_tlv(tlv.value, 0x5F36)) com.unicode_version = text(unicode->value);
  const auto tags = find_tlv(tlv.value, 0x5C);
  if (!tags) throw FormatError("EF.COM has no list of data groups");
  for (const auto tag : tags->value) {
    const auto group = data_group_by_tag(tag);
    if (!group) throw FormatError("EF.COM lists an unknown data group tag");
    com.data_groups.push_back(group->data_group);
  }
  return com;
}

std::string parse_dg1(ByteView file) {
  const Tlv tlv = outer(file, 0x61, "DG1");
  const auto mrz = find_tlv(tlv.value, 0x5F1F);
  if (!mrz) throw FormatError("DG1 holds no MRZ");
  const std::string joined = text(mrz->value);
  std::size_t line = 0;
  switch (joined.size()) {
    case 88: line = 44; break;  // TD3, MRV-A
    case 90: line = 30; break;  // TD1
    case 72: line = 36; break;  // TD2, MRV-B
    default: throw FormatError("DG1's MRZ has " + std::to_string(joined.size()) + " characters, not 72, 88 or 90");
  }
  std::string lines;
  for (std::size_t at = 0; at < joined.size(); at += line) {
    if (at) lines.push_back('\n');
    lines.append(joined, at, line);
  }
  return lines;
}

std::vector<FaceImage> parse_dg2(ByteView file) {
  const Tlv tlv = outer(file, 0x75, "DG2");
  const auto group = find_tlv(tlv.value, 0x7F61);
  if (!group) throw FormatError("DG2 has no biometric information group template");
  std::vector<FaceImage> faces;
  for (const auto& item : read_tlvs(group->value)) {
    if (item.tag != 0x7F60) continue;
    auto block = find_tlv(item.value, 0x5F2E);
    if (!block) block = find_tlv(item.value, 0x7F2E);
    if (!block) throw FormatError("a DG2 biometric template has no data block");
    faces.push_back(read_facial_record(block->value));
  }
  if (faces.empty()) throw FormatError("DG2 holds no facial image");
  return faces;
}

DetailFields parse_dg11(ByteView file) {
  return read_details(file, 0x6B, "DG11",
                      {{0x5F0E, "full_name"}, {0x5F0F, "other_name"}, {0x5F10, "personal_number"}, {0x5F2B, "full_date_of_birth"},
                       {0x5F11, "place_of_birth"}, {0x5F42, "address"}, {0x5F12, "telephone"}, {0x5F13, "profession"},
                       {0x5F14, "title"}, {0x5F15, "personal_summary"}, {0x5F17, "other_travel_documents"},
                       {0x5F18, "custody_information"}});
}

DetailFields parse_dg12(ByteView file) {
  return read_details(file, 0x6C, "DG12",
                      {{0x5F19, "issuing_authority"}, {0x5F26, "date_of_issue"}, {0x5F1B, "endorsements"},
                       {0x5F1C, "tax_exit_requirements"}, {0x5F55, "personalization_time"}, {0x5F56, "personalization_system"}});
}

Bytes parse_dg15(ByteView file) {
  const Tlv tlv = outer(file, 0x6F, "DG15");
  const Tlv key = read_tlv(tlv.value);
  if (key.tag != 0x30 || key.size != tlv.value.size()) throw FormatError("DG15 does not hold one public key");
  return Bytes(tlv.value.begin(), tlv.value.end());
}

Bytes parse_dg14(ByteView file) {
  const Tlv tlv = outer(file, 0x6E, "DG14");
  const Tlv infos = read_tlv(tlv.value);
  if (infos.tag != 0x31 || infos.size != tlv.value.size()) throw FormatError("DG14 does not hold a set of security infos");
  return Bytes(tlv.value.begin(), tlv.value.end());
}

}  // namespace borderpost::station::emrtd
