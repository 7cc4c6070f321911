// The LDS files and signed objects of a test passport (see lds_builder.hpp).
#include "lds_builder.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <openssl/cms.h>
#include <openssl/sha.h>

#include "mrz/mrz.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/tlv.hpp"

#ifndef CHIP_TESTKIT_DATA_DIR
#error "CHIP_TESTKIT_DATA_DIR must name tests/chip/data"
#endif

namespace borderpost::test::chip {

using station::emrtd::concat;
using station::emrtd::encode_tlv;

namespace {

// --- a small DER encoder: just what the LDS and CMS contents need ---

Bytes as_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes der_integer(long value) {
  Bytes content;
  // Two's complement, big-endian, minimal: drop leading bytes that only repeat the sign.
  for (int shift = 56; shift >= 0; shift -= 8) content.push_back(static_cast<std::uint8_t>(value >> shift));
  while (content.size() > 1 && ((content[0] == 0x00 && !(content[1] & 0x80)) || (content[0] == 0xFF && (content[1] & 0x80))))
    content.erase(content.begin());
  return encode_tlv(0x02, content);
}

// "2.23.136.1.1.1" -> 06 06 67 81 08 01 01 01
Bytes der_oid(std::string_view dotted) {
  std::vector<unsigned long> arcs;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const auto end = std::min(dotted.find('.', start), dotted.size());
    arcs.push_back(std::stoul(std::string(dotted.substr(start, end - start))));
    start = end + 1;
  }
  if (arcs.size() < 2) throw std::invalid_argument("an OID has at least two arcs");
  Bytes content;
  auto put_arc = [&content](unsigned long arc) {
    Bytes base128{static_cast<std::uint8_t>(arc & 0x7F)};
    for (arc >>= 7; arc > 0; arc >>= 7) base128.insert(base128.begin(), static_cast<std::uint8_t>(0x80 | (arc & 0x7F)));
    content.insert(content.end(), base128.begin(), base128.end());
  };
  put_arc(arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) put_arc(arcs[i]);
  return encode_tlv(0x06, content);
}

Bytes der_sequence(std::initializer_list<ByteView> parts) { return encode_tlv(0x30, concat(parts)); }

// DER orders the members of a SET OF by their encodings.
Bytes der_set_of(std::vector<Bytes> members) {
  std::sort(members.begin(), members.end(), [](const Bytes& a, const Bytes& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
      if (a[i] != b[i]) return a[i] < b[i];
    return a.size() < b.size();
  });
  Bytes content;
  for (const auto& member : members) content.insert(content.end(), member.begin(), member.end());
  return encode_tlv(0x31, content);
}

constexpr std::string_view kPaceEcdhGmAes128 = "0.4.0.127.0.7.2.2.4.2.2";  // id-PACE-ECDH-GM-AES-CBC-CMAC-128
constexpr long kBrainpoolP256r1ParameterId = 13;
constexpr std::string_view kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr std::string_view kLdsSecurityObject = "2.23.136.1.1.1";
constexpr std::string_view kCscaMasterList = "2.23.136.1.1.2";
constexpr std::string_view kActiveAuthenticationProtocol = "2.23.136.1.1.5";
constexpr std::string_view kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";
constexpr std::string_view kPkEcdh = "0.4.0.127.0.7.2.2.1.2";                 // id-PK-ECDH
constexpr std::string_view kCaEcdhAes128 = "0.4.0.127.0.7.2.2.3.2.2";         // id-CA-ECDH-AES-CBC-CMAC-128
constexpr std::string_view kCaEcdh3Des = "0.4.0.127.0.7.2.2.3.2.1";           // id-CA-ECDH-3DES-CBC-CBC

Bytes pace_info() { return der_sequence({der_oid(kPaceEcdhGmAes128), der_integer(2), der_integer(kBrainpoolP256r1ParameterId)}); }

void put_big_endian(Bytes& out, std::uint32_t value, int byte_count) {
  for (int i = byte_count - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

struct CmsFree {
  void operator()(CMS_ContentInfo* cms) const { CMS_ContentInfo_free(cms); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct ObjectFree {
  void operator()(ASN1_OBJECT* object) const { ASN1_OBJECT_free(object); }
};

// CMS SignedData over `content` with the given eContentType, the signer's certificate included.
Bytes cms_signed_data(ByteView content, std::string_view content_type, const CertifiedKey& signer) {
  const unsigned flags = CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP;
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(CMS_sign(signer.certificate.get(), signer.key.get(), nullptr, nullptr, flags));
  if (!cms) throw std::runtime_error("CMS_sign: " + openssl_errors());
  std::unique_ptr<ASN1_OBJECT, ObjectFree> type(OBJ_txt2obj(std::string(content_type).c_str(), 1));
  if (!type || CMS_set1_eContentType(cms.get(), type.get()) != 1)
    throw std::runtime_error("eContentType: " + openssl_errors());
  std::unique_ptr<BIO, BioFree> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  if (!data || CMS_final(cms.get(), data.get(), nullptr, CMS_BINARY) != 1)
    throw std::runtime_error("CMS_final: " + openssl_errors());
  unsigned char* out = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &out);
  if (length <= 0) throw std::runtime_error("CMS DER: " + openssl_errors());
  Bytes der_bytes(out, out + length);
  OPENSSL_free(out);
  return der_bytes;
}

std::string yyyymmdd(int year, int month, int day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02d%02d", year, month, day);
  return text;
}

std::string mrz_name(const mrz::Field& field) {
  std::string name = field.value;
  std::replace(name.begin(), name.end(), ' ', '<');
  return name;
}

}  // namespace

std::uint8_t data_group_tag(int number) {
  static constexpr std::uint8_t tags[] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
                                          0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};
  if (number < 1 || number > 16) throw std::invalid_argument("data groups are numbered 1 to 16");
  return tags[number - 1];
}

Bytes make_ef_com(std::span<const int> data_groups) {
  Bytes tag_list;
  for (const int number : data_groups) tag_list.push_back(data_group_tag(number));
  return encode_tlv(0x60, concat({encode_tlv(0x5F01, as_bytes("0107")), encode_tlv(0x5F36, as_bytes("040000")),
                                  encode_tlv(0x5C, tag_list)}));
}

Bytes make_dg1(std::span<const std::string> mrz_lines) {
  std::string joined;
  for (const auto& line : mrz_lines) joined += line;
  return encode_tlv(0x61, encode_tlv(0x5F1F, as_bytes(joined)));
}

FaceImage encode_face_image(const std::filesystem::path& picture, FaceImageFormat format) {
  const cv::Mat image = cv::imread(picture.string(), cv::IMREAD_COLOR);
  if (image.empty()) throw std::runtime_error("cannot read the face picture " + picture.string());
  cv::Mat portrait;
  cv::resize(image, portrait, cv::Size(300, 400), 0, 0, cv::INTER_AREA);
  FaceImage face{format, portrait.cols, portrait.rows, {}};
  std::vector<uchar> encoded;
  const bool ok = format == FaceImageFormat::Jpeg
                      ? cv::imencode(".jpg", portrait, encoded, {cv::IMWRITE_JPEG_QUALITY, 90})
                      // Compression x1000 = 50 gives about the JPEG's size.
                      : cv::imencode(".jp2", portrait, encoded, {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, 50});
  if (!ok) throw std::runtime_error("OpenCV cannot encode the face picture");
  face.encoded.assign(encoded.begin(), encoded.end());
  return face;
}

const FaceImage& specimen_face(FaceImageFormat format) {
  static std::mutex lock;
  static std::map<FaceImageFormat, FaceImage> faces;
  std::lock_guard guard(lock);
  auto found = faces.find(format);
  if (found == faces.end())
    found = faces.emplace(format, encode_face_image(CHIP_TESTKIT_DATA_DIR "/face-utopia-specimen.jpg", format)).first;
  return found->second;
}

Bytes make_dg2(const FaceImage& face) {
  // ISO/IEC 19794-5:2005 face record: header, one facial information block without feature
  // points, image information, image data.
  constexpr std::uint32_t header_size = 14, information_size = 20, image_information_size = 12;
  const auto facial_record_size = static_cast<std::uint32_t>(information_size + image_information_size + face.encoded.size());
  Bytes record = as_bytes(std::string_view("FAC\0" "010\0", 8));
  put_big_endian(record, header_size + facial_record_size, 4);
  put_big_endian(record, 1, 2);  // number of facial images
  put_big_endian(record, facial_record_size, 4);
  put_big_endian(record, 0, 2);  // feature points
  record.push_back(0);           // gender unspecified
  record.push_back(0);           // eye colour unspecified
  record.push_back(0);           // hair colour unspecified
  put_big_endian(record, 0, 3);  // feature mask
  put_big_endian(record, 1, 2);  // expression: neutral
  put_big_endian(record, 0, 3);  // pose angle
  put_big_endian(record, 0, 3);  // pose angle uncertainty
  record.push_back(1);           // face image type: full frontal
  record.push_back(face.format == FaceImageFormat::Jpeg ? 0 : 1);
  put_big_endian(record, static_cast<std::uint32_t>(face.width), 2);
  put_big_endian(record, static_cast<std::uint32_t>(face.height), 2);
  record.push_back(1);           // colour space: 24-bit sRGB
  record.push_back(3);           // source: static photograph from a scanner
  put_big_endian(record, 0, 2);  // device type
  put_big_endian(record, 0, 2);  // quality
  record.insert(record.end(), face.encoded.begin(), face.encoded.end());

  const Bytes header_template = encode_tlv(
      0xA1, concat({encode_tlv(0x80, Bytes{0x01, 0x01}), encode_tlv(0x81, Bytes{0x02}),
                    encode_tlv(0x87, Bytes{0x01, 0x01}), encode_tlv(0x88, Bytes{0x00, 0x08})}));
  const Bytes information_template = encode_tlv(0x7F60, concat({header_template, encode_tlv(0x5F2E, record)}));
  return encode_tlv(0x75, encode_tlv(0x7F61, concat({encode_tlv(0x02, Bytes{0x01}), information_template})));
}

Bytes make_dg11(std::string_view full_name, std::string_view date_of_birth) {
  return encode_tlv(0x6B, concat({encode_tlv(0x5C, Bytes{0x5F, 0x0E, 0x5F, 0x2B}), encode_tlv(0x5F0E, as_bytes(full_name)),
                                  encode_tlv(0x5F2B, as_bytes(date_of_birth))}));
}

Bytes make_dg12(std::string_view issuing_authority, std::string_view date_of_issue) {
  return encode_tlv(0x6C, concat({encode_tlv(0x5C, Bytes{0x5F, 0x19, 0x5F, 0x26}),
                                  encode_tlv(0x5F19, as_bytes(issuing_authority)),
                                  encode_tlv(0x5F26, as_bytes(date_of_issue))}));
}

Bytes make_dg14(bool pace, bool ecdsa_active_authentication, const ChipAuthenticationKey& chip_authentication) {
  std::vector<Bytes> infos;
  if (pace) infos.push_back(pace_info());
  if (ecdsa_active_authentication)
    infos.push_back(der_sequence({der_oid(kActiveAuthenticationProtocol), der_integer(1), der_oid(kEcdsaPlainSha256)}));
  if (chip_authentication.key) {
    const Bytes key_id = chip_authentication.key_id ? der_integer(*chip_authentication.key_id) : Bytes{};
    const auto protocol = chip_authentication.cipher == ChipAuthenticationCipher::Aes128 ? kCaEcdhAes128 : kCaEcdh3Des;
    infos.push_back(der_sequence({der_oid(protocol), der_integer(1), key_id}));
    infos.push_back(der_sequence({der_oid(kPkEcdh), subject_public_key_info(chip_authentication.key), key_id}));
  }
  return encode_tlv(0x6E, der_set_of(std::move(infos)));
}

Bytes make_dg15(const EVP_PKEY* active_authentication_key) {
  return encode_tlv(0x6F, subject_public_key_info(active_authentication_key));
}

Bytes make_card_access() { return der_set_of({pace_info()}); }

Bytes make_lds_security_object(const std::map<int, Bytes>& data_groups) {
  std::vector<Bytes> hashes;
  for (const auto& [number, file] : data_groups) {
    Bytes digest(SHA256_DIGEST_LENGTH);
    SHA256(file.data(), file.size(), digest.data());
    hashes.push_back(der_sequence({der_integer(number), encode_tlv(0x04, digest)}));
  }
  Bytes hash_list;
  for (const auto& hash : hashes) hash_list.insert(hash_list.end(), hash.begin(), hash.end());
  const Bytes algorithm = der_sequence({der_oid(kSha256)});  // parameters absent, as RFC 5754 says
  return der_sequence({der_integer(0), algorithm, encode_tlv(0x30, hash_list)});
}

Bytes make_sod(const std::map<int, Bytes>& data_groups, const CertifiedKey& document_signer) {
  return encode_tlv(0x77, cms_signed_data(make_lds_security_object(data_groups), kLdsSecurityObject, document_signer));
}

Bytes make_master_list(std::span<const X509* const> cscas, const CertifiedKey& signer) {
  std::vector<Bytes> certificates;
  for (const X509* csca : cscas) certificates.push_back(der(csca));
  const Bytes master_list = der_sequence({der_integer(0), der_set_of(std::move(certificates))});
  return cms_signed_data(master_list, kCscaMasterList, signer);
}

const Bytes* ChipContents::file(std::uint16_t id) const {
  const auto found = files.find(id);
  return found == files.end() ? nullptr : &found->second;
}

ChipContents make_passport_chip(std::span<const std::string> mrz_lines, const PassportOptions& options) {
  if (!options.document_signer) throw std::invalid_argument("a passport chip needs a document signer for EF.SOD");
  const mrz::Document document = mrz::parse(mrz_lines);
  if (!document.usable()) throw std::invalid_argument("the MRZ of the test passport does not parse");

  ChipContents chip;
  chip.mrz_lines.assign(mrz_lines.begin(), mrz_lines.end());
  chip.mrz_information = station::emrtd::mrz_information(document);

  std::map<int, Bytes> data_groups;
  data_groups[1] = make_dg1(mrz_lines);
  data_groups[2] = make_dg2(specimen_face(options.face));
  const auto& birth = document.birth_date;
  data_groups[11] = make_dg11(mrz_name(document.surname) + "<<" + mrz_name(document.given_names),
                              yyyymmdd(birth.year, birth.month, birth.day));
  const auto& expiry = document.expiry_date;
  data_groups[12] = make_dg12("PASSPORT OFFICE " + document.issuing_state.value,
                              yyyymmdd(expiry.year - 10, expiry.month, expiry.day));
  if (options.active_authentication) {
    chip.active_authentication_key = std::shared_ptr<EVP_PKEY>(generate_key(KeyKind::EcP256).release(), EvpKeyFree{});
    data_groups[15] = make_dg15(chip.active_authentication_key.get());
  }
  ChipAuthenticationKey chip_authentication;
  if (options.chip_authentication) {
    if (options.chip_authentication_key == KeyKind::Rsa2048) throw std::invalid_argument("Chip Authentication keys are EC keys here");
    chip.chip_authentication_key =
        std::shared_ptr<EVP_PKEY>(generate_key(options.chip_authentication_key).release(), EvpKeyFree{});
    chip.chip_authentication_cipher = options.chip_authentication_cipher;
    chip.chip_authentication_key_id = options.chip_authentication_key_id;
    chip_authentication = {chip.chip_authentication_key.get(), options.chip_authentication_cipher,
                           options.chip_authentication_key_id};
  }
  if (options.dg14 && (options.pace || options.active_authentication || options.chip_authentication))
    data_groups[14] = make_dg14(options.pace, options.active_authentication, chip_authentication);

  std::vector<int> present;
  for (const auto& entry : data_groups) present.push_back(entry.first);
  chip.files[file_id::com] = make_ef_com(present);
  chip.files[file_id::sod] = make_sod(data_groups, *options.document_signer);
  chip.document_signer_certificate = der(options.document_signer->certificate.get());
  if (options.pace) chip.files[file_id::card_access] = make_card_access();

  if (options.tampered_data_group) {
    const auto found = data_groups.find(*options.tampered_data_group);
    if (found == data_groups.end()) throw std::invalid_argument("the data group to tamper with is not on the chip");
    Bytes& file = found->second;
    if (found->first == 1) {
      // A forged document number: its first character becomes another valid MRZ character.
      std::size_t index = 5;  // after 61 L 5F1F L (an MRZ is shorter than 128 bytes)
      for (int line = 1; line < document.document_number.line; ++line) index += mrz_lines[static_cast<std::size_t>(line - 1)].size();
      index += static_cast<std::size_t>(document.document_number.position - 1);
      auto& character = file.at(index);
      character = character == '9' ? '0' : character == 'Z' ? 'A' : character == '<' ? 'X' : static_cast<std::uint8_t>(character + 1);
    } else {
      file[file.size() / 2] ^= 0x01;
    }
  }
  for (auto& [number, file] : data_groups) chip.files[data_group_file_id(number)] = std::move(file);
  return chip;
}

std::vector<std::string> specimen_mrz_lines() {
  return {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
}

}  // namespace borderpost::test::chip
