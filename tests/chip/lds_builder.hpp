// The files of an ePassport chip, built as ICAO Doc 9303 Part 10 lays them out (EF.COM, EF.DG1,
// DG2, DG11, DG12, DG14, DG15, EF.CardAccess) and signed as Part 12 says (EF.SOD, CSCA master
// lists), so the reader under test meets what a real passport holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "test_pki.hpp"

namespace borderpost::test::chip {

// File identifiers of the LDS1 application and of the master file (Part 10, 4.6 and 3.11).
namespace file_id {
inline constexpr std::uint16_t card_access = 0x011C;
inline constexpr std::uint16_t com = 0x011E;
inline constexpr std::uint16_t sod = 0x011D;
}  // namespace file_id
constexpr std::uint16_t data_group_file_id(int number) { return static_cast<std::uint16_t>(0x0100 + number); }
// The tag a data group's file starts with: DG1 0x61, DG2 0x75, DG11 0x6B, DG12 0x6C, DG14 0x6E, DG15 0x6F.
std::uint8_t data_group_tag(int number);

// EF.COM: LDS version 1.7, Unicode 4.0.0, and the tags of the data groups present.
Bytes make_ef_com(std::span<const int> data_groups);

// EF.DG1: the MRZ lines concatenated, without newlines.
Bytes make_dg1(std::span<const std::string> mrz_lines);

enum class FaceImageFormat { Jpeg, Jpeg2000 };
struct FaceImage {
  FaceImageFormat format = FaceImageFormat::Jpeg;
  int width = 0, height = 0;
  Bytes encoded;
};
// A picture resized to 300x400 and encoded (JPEG quality 90, about 20 KB; JPEG 2000 of similar size).
FaceImage encode_face_image(const std::filesystem::path& picture, FaceImageFormat format);
// The Utopia specimen portrait of tests/chip/data, encoded once per format and kept.
const FaceImage& specimen_face(FaceImageFormat format);

// EF.DG2: one biometric information template whose data block is an ISO/IEC 19794-5 face record.
Bytes make_dg2(const FaceImage& face);
// EF.DG11 with the full name ("SURNAME<<GIVEN<NAMES") and full date of birth ("YYYYMMDD").
Bytes make_dg11(std::string_view full_name, std::string_view date_of_birth);
// EF.DG12 with the issuing authority and the date of issue ("YYYYMMDD").
Bytes make_dg12(std::string_view issuing_authority, std::string_view date_of_issue);
// Chip Authentication as DG14 offers it (Doc 9303 Part 11, 9.2.5 and 9.2.6): the chip's static
// key, the cipher of the secure messaging it leads to, and an optional key identifier.
enum class ChipAuthenticationCipher { Aes128, Des3 };  // id-CA-ECDH-AES-CBC-CMAC-128, id-CA-ECDH-3DES-CBC-CBC
struct ChipAuthenticationKey {
  const EVP_PKEY* key = nullptr;
  ChipAuthenticationCipher cipher = ChipAuthenticationCipher::Aes128;
  std::optional<long> key_id;
};
// EF.DG14: PACEInfo (when the chip offers PACE), ActiveAuthenticationInfo for ECDSA (plain,
// SHA-256), and with a Chip Authentication key its ChipAuthenticationInfo (version 1) and
// ChipAuthenticationPublicKeyInfo (id-PK-ECDH, the key's SubjectPublicKeyInfo).
Bytes make_dg14(bool pace, bool ecdsa_active_authentication, const ChipAuthenticationKey& chip_authentication = {});
// EF.DG15: the SubjectPublicKeyInfo of the Active Authentication key.
Bytes make_dg15(const EVP_PKEY* active_authentication_key);
// EF.CardAccess: one PACEInfo, id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (13).
Bytes make_card_access();

// LDSSecurityObject v0 with the SHA-256 of each data group file (tag, length and value).
Bytes make_lds_security_object(const std::map<int, Bytes>& data_groups);
// EF.SOD: tag 0x77 around a CMS SignedData of the LDSSecurityObject (eContentType 2.23.136.1.1.1)
// signed by the document signer, whose certificate it carries.
Bytes make_sod(const std::map<int, Bytes>& data_groups, const CertifiedKey& document_signer);

// A CSCA master list (.ml file): CMS SignedData, eContentType 2.23.136.1.1.2, of
// CscaMasterList { version 0, certList SET OF Certificate }, signed by `signer`.
Bytes make_master_list(std::span<const X509* const> cscas, const CertifiedKey& signer);

// One passport's chip, every file consistent with its MRZ.
struct PassportOptions {
  const CertifiedKey* document_signer = nullptr;  // required: signs EF.SOD
  FaceImageFormat face = FaceImageFormat::Jpeg;
  bool pace = true;                   // EF.CardAccess (and PACEInfo in DG14); false: a BAC-only chip
  bool active_authentication = true;  // DG15 and an EC P-256 key the chip signs challenges with
  bool dg14 = true;
  // Chip Authentication: DG14 offers it and the chip holds the key. Its curve is spelt out in DG14
  // (brainpoolP256r1) by default, as Part 11, 9.2 asks of ChipAuthenticationPublicKeyInfo.
  bool chip_authentication = false;
  KeyKind chip_authentication_key = KeyKind::BrainpoolP256r1Explicit;  // or EcP256
  ChipAuthenticationCipher chip_authentication_cipher = ChipAuthenticationCipher::Aes128;
  std::optional<long> chip_authentication_key_id;
  // Changes one byte in the middle of this data group after EF.SOD was signed (DG1: a character
  // of the MRZ), so passive authentication must find its hash wrong.
  std::optional<int> tampered_data_group;
};

struct ChipContents {
  std::vector<std::string> mrz_lines;
  std::string mrz_information;           // document number, birth date, expiry, each with check digit
  std::map<std::uint16_t, Bytes> files;  // by file identifier, EF.CardAccess included when present
  std::shared_ptr<EVP_PKEY> active_authentication_key;  // empty without DG15
  std::shared_ptr<EVP_PKEY> chip_authentication_key;     // empty without Chip Authentication
  ChipAuthenticationCipher chip_authentication_cipher = ChipAuthenticationCipher::Aes128;
  std::optional<long> chip_authentication_key_id;
  Bytes document_signer_certificate;                    // DER, as in EF.SOD

  const Bytes* file(std::uint16_t id) const;  // nullptr when the chip lacks it
};

// Throws std::invalid_argument when the MRZ does not parse or carries no key material.
ChipContents make_passport_chip(std::span<const std::string> mrz_lines, const PassportOptions& options);

// The ICAO specimen passport of Utopia (Part 4, Anna Maria Eriksson), for tests that need one.
std::vector<std::string> specimen_mrz_lines();

}  // namespace borderpost::test::chip
