// The chip test kit checked on its own: its PKI, LDS files, EF.SOD and master lists parse and
// verify with OpenSSL; its chip answers BAC, PACE (OpenPACE on the terminal's side), secure
// messaging and Active Authentication as ICAO Doc 9303 Parts 10 to 12 say; and a virtual chip
// on a private pcscd is seen, read and taken away through the real PC/SC stack.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>
#include <opencv2/imgcodecs.hpp>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/ecdsa.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "lds_builder.hpp"
#include "passport_chip.hpp"
#include "pcscd_fixture.hpp"
#include "emrtd/apdu.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/chip_session.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/pace.hpp"
#include "emrtd/secure_messaging.hpp"
#include "emrtd/tlv.hpp"
#include "test_pki.hpp"
#include "testkit_names.hpp"
#include "virtual_chip.hpp"

using emrtd::ResponseApdu;

namespace {

chip::ChipContents specimen_chip(chip::PassportOptions options = {}) {
  if (!options.document_signer) options.document_signer = &utopia().signer;
  return chip::make_passport_chip(chip::specimen_mrz_lines(), options);
}

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  REQUIRE(RAND_bytes(out.data(), static_cast<int>(count)) == 1);
  return out;
}

Bytes sha256(ByteView data) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(data.data(), data.size(), digest.data());
  return digest;
}

struct CmsFree {
  void operator()(CMS_ContentInfo* cms) const { CMS_ContentInfo_free(cms); }
};
using CmsPtr = std::unique_ptr<CMS_ContentInfo, CmsFree>;

CmsPtr parse_cms(ByteView der) {
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())), BIO_free);
  CmsPtr cms(d2i_CMS_bio(in.get(), nullptr));
  REQUIRE(cms);
  return cms;
}

std::string content_type(CMS_ContentInfo* cms) {
  char text[80];
  OBJ_obj2txt(text, sizeof text, CMS_get0_eContentType(cms), 1);
  return text;
}

// CMS_verify of the signature alone (the certificate chain is the reader's job), and the content.
std::optional<Bytes> verified_content(CMS_ContentInfo* cms, X509* signer_certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  STACK_OF(X509)* certificates = nullptr;
  if (signer_certificate) {
    certificates = sk_X509_new_null();
    sk_X509_push(certificates, signer_certificate);
  }
  const unsigned flags = CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | (signer_certificate ? CMS_NOINTERN : 0);
  const int ok = CMS_verify(cms, certificates, nullptr, nullptr, out.get(), flags);
  sk_X509_free(certificates);
  if (ok != 1) return std::nullopt;
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  return Bytes(data, data + length);
}

int verify_chain(X509* leaf, X509* trust_anchor) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  X509_STORE_add_cert(store.get(), trust_anchor);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

std::string certificate_text(X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  X509_print(out.get(), certificate);
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

// A chip answering commands, whatever carries them: a PassportChip directly, or PC/SC.
using Exchange = std::function<ResponseApdu(const CommandApdu&)>;

Exchange direct(chip::PassportChip& card) {
  return [&card](const CommandApdu& command) { return ResponseApdu::parse(card.respond(command.encode())); };
}

Exchange through(chip::PcscCard& card) {
  return [&card](const CommandApdu& command) { return card.transmit(command); };
}

const Bytes& kLdsApplication = emrtd::kEmrtdAid;  // A0 00 00 02 47 10 01

// The terminal's side of BAC (station/emrtd), after the application is selected.
std::optional<emrtd::SecureMessaging> run_bac(const Exchange& exchange, std::string_view mrz_information) {
  const auto keys = emrtd::basic_access_keys(mrz_information);
  const auto challenge = exchange(emrtd::get_challenge());
  REQUIRE(challenge.sw == 0x9000);
  const Bytes rnd_ifd = random_bytes(8), k_ifd = random_bytes(16);
  const auto answer =
      exchange(emrtd::external_authenticate(emrtd::bac_authentication_data(keys, challenge.data, rnd_ifd, k_ifd)));
  if (answer.sw != 0x9000) return std::nullopt;
  return emrtd::SecureMessaging::des(emrtd::bac_session(keys, answer.data, challenge.data, rnd_ifd, k_ifd));
}

// BAC with `mrz_information` after selecting the LDS application: where the protected reads start.
emrtd::SecureMessaging open_bac(const Exchange& exchange, std::string_view mrz_information) {
  REQUIRE(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
  auto session = run_bac(exchange, mrz_information);
  REQUIRE(session);
  return *session;
}

ResponseApdu protected_exchange(const Exchange& exchange, emrtd::SecureMessaging& session, const CommandApdu& command) {
  return session.unprotect(exchange(session.protect(command)));
}

// A whole file under secure messaging: its first bytes say how long it is, the rest follows in
// reads of at most `chunk` bytes.
Bytes read_protected_file(const Exchange& exchange, emrtd::SecureMessaging& session, std::uint16_t id,
                          std::size_t chunk = 0xDF) {
  REQUIRE(protected_exchange(exchange, session, emrtd::select_file(id)).sw == 0x9000);
  auto head = protected_exchange(exchange, session, emrtd::read_binary(0, 4));
  REQUIRE(head.sw == 0x9000);
  const auto total = emrtd::tlv_total_size(head.data);
  REQUIRE(total);
  Bytes file = head.data;
  while (file.size() < *total) {
    const auto part = protected_exchange(exchange, session, emrtd::read_binary(file.size(), std::min(chunk, *total - file.size())));
    REQUIRE(part.sw == 0x9000);
    REQUIRE(!part.data.empty());
    file.insert(file.end(), part.data.begin(), part.data.end());
  }
  return file;
}

// --- PACE on the terminal's side, with OpenPACE, independent of station/emrtd ---

struct BufFree {
  void operator()(BUF_MEM* buffer) const { BUF_MEM_free(buffer); }
};
using Buffer = std::unique_ptr<BUF_MEM, BufFree>;

Buffer to_buffer(ByteView bytes) {
  Buffer buffer(BUF_MEM_new());
  REQUIRE(BUF_MEM_grow(buffer.get(), bytes.size()));
  std::memcpy(buffer->data, bytes.data(), bytes.size());
  return buffer;
}

Bytes from_buffer(const BUF_MEM* buffer) {
  REQUIRE(buffer);
  return Bytes(buffer->data, buffer->data + buffer->length);
}

// GENERAL AUTHENTICATE with 7C { tag value }, answered with 7C { answer_tag ... }: the inner value.
std::optional<Bytes> general_authenticate(const Exchange& exchange, bool last, std::uint32_t tag, ByteView value,
                                          std::uint32_t answer_tag) {
  const Bytes data = tag ? emrtd::encode_tlv(0x7C, emrtd::encode_tlv(tag, value)) : Bytes{0x7C, 0x00};
  const auto answer = exchange(CommandApdu{static_cast<std::uint8_t>(last ? 0x00 : 0x10), 0x86, 0x00, 0x00, data, 256});
  if (answer.sw != 0x9000) return std::nullopt;
  const auto inner = emrtd::find_tlv(emrtd::read_tlv(answer.data).value, answer_tag);
  REQUIRE(inner);
  return Bytes(inner->value.begin(), inner->value.end());
}

std::optional<emrtd::SecureMessaging> run_openpace_terminal(const Exchange& exchange, std::string_view mrz_information) {
  EAC_init();
  std::unique_ptr<EAC_CTX, decltype(&EAC_CTX_clear_free)> ctx(EAC_CTX_new(), EAC_CTX_clear_free);
  REQUIRE(EAC_CTX_init_pace(ctx.get(), NID_id_PACE_ECDH_GM_AES_CBC_CMAC_128, 13) == 1);
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(mrz_information.data()), mrz_information.size(), digest);
  std::unique_ptr<PACE_SEC, decltype(&PACE_SEC_clear_free)> password(
      PACE_SEC_new(reinterpret_cast<const char*>(digest), sizeof digest, PACE_RAW), PACE_SEC_clear_free);

  const Bytes set_at = emrtd::from_hex("800A04007F00070202040202 830101");
  REQUIRE(exchange(CommandApdu{0x00, 0x22, 0xC1, 0xA4, set_at, std::nullopt}).sw == 0x9000);
  const auto encrypted_nonce = general_authenticate(exchange, false, 0, {}, 0x80);
  REQUIRE(encrypted_nonce);
  const Buffer nonce = to_buffer(*encrypted_nonce);
  REQUIRE(PACE_STEP2_dec_nonce(ctx.get(), password.get(), nonce.get()) == 1);
  const Buffer mapping(PACE_STEP3A_generate_mapping_data(ctx.get()));
  const auto chip_mapping = general_authenticate(exchange, false, 0x81, from_buffer(mapping.get()), 0x82);
  REQUIRE(chip_mapping);
  REQUIRE(PACE_STEP3A_map_generator(ctx.get(), to_buffer(*chip_mapping).get()) == 1);
  const Buffer ephemeral(PACE_STEP3B_generate_ephemeral_key(ctx.get()));
  const auto chip_key = general_authenticate(exchange, false, 0x83, from_buffer(ephemeral.get()), 0x84);
  REQUIRE(chip_key);
  const Buffer chip_key_buffer = to_buffer(*chip_key);
  REQUIRE(PACE_STEP3B_compute_shared_secret(ctx.get(), chip_key_buffer.get()) == 1);
  REQUIRE(PACE_STEP3C_derive_keys(ctx.get()) == 1);
  const Buffer token(PACE_STEP3D_compute_authentication_token(ctx.get(), chip_key_buffer.get()));
  const auto chip_token = general_authenticate(exchange, true, 0x85, from_buffer(token.get()), 0x86);
  if (!chip_token) return std::nullopt;
  REQUIRE(PACE_STEP3D_verify_authentication_token(ctx.get(), to_buffer(*chip_token).get()) == 1);
  const KA_CTX* keys = ctx->pace_ctx->ka_ctx;
  return emrtd::SecureMessaging::aes(from_buffer(keys->k_enc), from_buffer(keys->k_mac));
}

std::string joined_mrz() {
  std::string mrz;
  for (const auto& line : chip::specimen_mrz_lines()) mrz += line;
  return mrz;
}

}  // namespace

// --- the PKI ---

TEST_CASE("a document signer certificate verifies against its CSCA, for every CSCA key kind") {
  for (const auto kind : {chip::KeyKind::EcP256, chip::KeyKind::Rsa2048, chip::KeyKind::BrainpoolP256r1Explicit}) {
    CAPTURE(static_cast<int>(kind));
    const auto csca = chip::make_csca("UT", "CSCA Utopia", kind, chip::days_from_now(-1), chip::days_from_now(3650));
    const auto signer = chip::make_document_signer(csca, "UT", chip::days_from_now(-1), chip::days_from_now(365));
    CHECK(verify_chain(signer.certificate.get(), csca.certificate.get()) == X509_V_OK);
    CHECK(X509_check_ca(csca.certificate.get()) >= 1);
    CHECK((X509_get_key_usage(signer.certificate.get()) & KU_DIGITAL_SIGNATURE) != 0);
    CHECK((X509_get_key_usage(csca.certificate.get()) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    CHECK(X509_get0_authority_key_id(signer.certificate.get()) != nullptr);
    CHECK(X509_get0_subject_key_id(csca.certificate.get()) != nullptr);
  }
}

TEST_CASE("an expired document signer and one from an unknown CSCA do not verify") {
  const auto expired =
      chip::make_document_signer(utopia().csca, "UT", chip::days_from_now(-800), chip::days_from_now(-400));
  CHECK(verify_chain(expired.certificate.get(), utopia().csca.certificate.get()) == X509_V_ERR_CERT_HAS_EXPIRED);
  const auto stranger = chip::make_csca("UT", "CSCA Utopia", chip::KeyKind::EcP256, chip::days_from_now(-1),
                                        chip::days_from_now(3650));
  const auto forged = chip::make_document_signer(stranger, "UT", chip::days_from_now(-1), chip::days_from_now(365));
  CHECK(verify_chain(forged.certificate.get(), utopia().csca.certificate.get()) != X509_V_OK);
}

TEST_CASE("the brainpoolP256r1 CSCA spells out its curve: explicit EC parameters in its SubjectPublicKeyInfo") {
  const auto csca = chip::make_csca("UT", "CSCA Utopia brainpool", chip::KeyKind::BrainpoolP256r1Explicit,
                                    chip::days_from_now(-1), chip::days_from_now(3650));
  const auto text = certificate_text(csca.certificate.get());
  CHECK(text.find("Field Type: prime-field") != std::string::npos);
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR* algorithm = nullptr;
  REQUIRE(X509_PUBKEY_get0_param(nullptr, nullptr, nullptr, &algorithm, X509_get_X509_PUBKEY(csca.certificate.get())) == 1);
  X509_ALGOR_get0(nullptr, &parameter_type, &parameter, algorithm);
  CHECK(parameter_type == V_ASN1_SEQUENCE);  // ECParameters, not a named-curve OID
  // X509_verify_cert accepts such a CA (the openssl command line's `verify` refuses it: error 94,
  // "Certificate public key has explicit ECC parameters").
  const auto signer = chip::make_document_signer(csca, "UT", chip::days_from_now(-1), chip::days_from_now(365));
  CHECK(verify_chain(signer.certificate.get(), csca.certificate.get()) == X509_V_OK);
  const auto named = chip::make_csca("UT", "CSCA Utopia", chip::KeyKind::EcP256, chip::days_from_now(-1), chip::days_from_now(3650));
  CHECK(certificate_text(named.certificate.get()).find("prime-field") == std::string::npos);
}

TEST_CASE("certificates are written as PEM and DER that read back") {
  const auto directory = std::filesystem::path(CHIP_TESTKIT_WORK_DIR) / "pki";
  std::filesystem::create_directories(directory);
  chip::write_pem(utopia().csca.certificate.get(), directory / "csca.pem");
  chip::write_der(utopia().signer.certificate.get(), directory / "ds.der");
  CHECK(chip::pem(utopia().csca.certificate.get()).rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  const auto der = chip::der(utopia().signer.certificate.get());
  CHECK(std::filesystem::file_size(directory / "ds.der") == der.size());
  CHECK(X509_cmp(chip::certificate_from_der(der).get(), utopia().signer.certificate.get()) == 0);
}

// --- the LDS files ---

TEST_CASE("EF.COM, DG1 and EF.CardAccess have the layout of Doc 9303 Part 10 and 11") {
  const int groups[] = {1, 2, 15};
  // 60 { 5F01 "0107", 5F36 "040000", 5C { DG1 61, DG2 75, DG15 6F } }
  CHECK(emrtd::to_hex(chip::make_ef_com(groups)) == "6015" "5F010430313037" "5F3606303430303030" "5C0361756F");
  const auto dg1 = chip::make_dg1(chip::specimen_mrz_lines());
  CHECK(emrtd::to_hex(ByteView(dg1).first(5)) == "615B5F1F58");
  CHECK(std::string(dg1.begin() + 5, dg1.end()) == joined_mrz());
  // SET { SEQUENCE { id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 } }
  CHECK(emrtd::to_hex(chip::make_card_access()) == "3114301206" "0A04007F00070202040202" "020102" "02010D");
}

TEST_CASE("DG2 holds one ISO/IEC 19794-5 face record of a 300x400 JPEG, and of a JPEG 2000") {
  for (const auto format : {chip::FaceImageFormat::Jpeg, chip::FaceImageFormat::Jpeg2000}) {
    const auto dg2 = chip::make_dg2(chip::specimen_face(format));
    CAPTURE(dg2.size());
    CHECK(dg2.size() > 10'000);
    CHECK(dg2.size() < 40'000);
    const auto outer = emrtd::read_tlv(dg2);
    REQUIRE(outer.tag == 0x75);
    const auto group = emrtd::find_tlv(outer.value, 0x7F61);
    REQUIRE(group);
    const auto information = emrtd::find_tlv(group->value, 0x7F60);
    REQUIRE(information);
    const auto header = emrtd::find_tlv(information->value, 0xA1);
    REQUIRE(header);
    CHECK(emrtd::to_hex(emrtd::find_tlv(header->value, 0x87)->value) == "0101");
    CHECK(emrtd::to_hex(emrtd::find_tlv(header->value, 0x88)->value) == "0008");
    const auto block = emrtd::find_tlv(information->value, 0x5F2E);
    REQUIRE(block);
    const ByteView record = block->value;
    CHECK(std::memcmp(record.data(), "FAC\0" "010\0", 8) == 0);
    const std::size_t record_length = static_cast<std::size_t>(record[8]) << 24 | record[9] << 16 | record[10] << 8 | record[11];
    CHECK(record_length == record.size());
    CHECK(record[14 + 20 + 1] == (format == chip::FaceImageFormat::Jpeg ? 0 : 1));  // image data type
    const ByteView image = record.subspan(14 + 20 + 12);
    const cv::Mat face = cv::imdecode(std::vector<uchar>(image.begin(), image.end()), cv::IMREAD_COLOR);
    REQUIRE(!face.empty());
    CHECK(face.cols == 300);
    CHECK(face.rows == 400);
  }
}

TEST_CASE("DG11, DG12, DG14 and DG15 are well-formed TLV with the details of the MRZ") {
  const auto contents = specimen_chip();
  const auto dg11 = emrtd::read_tlv(*contents.file(chip::data_group_file_id(11)));
  CHECK(dg11.tag == 0x6B);
  const auto name = emrtd::find_tlv(dg11.value, 0x5F0E);
  REQUIRE(name);
  CHECK(std::string(name->value.begin(), name->value.end()) == "ERIKSSON<<ANNA<MARIA");
  const auto birth = emrtd::find_tlv(dg11.value, 0x5F2B);
  REQUIRE(birth);
  CHECK(std::string(birth->value.begin(), birth->value.end()) == "19740812");
  const auto dg12 = emrtd::read_tlv(*contents.file(chip::data_group_file_id(12)));
  CHECK(dg12.tag == 0x6C);
  CHECK(emrtd::find_tlv(dg12.value, 0x5F19));
  const auto issued = emrtd::find_tlv(dg12.value, 0x5F26);
  REQUIRE(issued);
  CHECK(std::string(issued->value.begin(), issued->value.end()) == "20020415");
  CHECK(emrtd::read_tlv(*contents.file(chip::data_group_file_id(14))).tag == 0x6E);
  const auto dg15 = emrtd::read_tlv(*contents.file(chip::data_group_file_id(15)));
  CHECK(dg15.tag == 0x6F);
  const unsigned char* cursor = dg15.value.data();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(dg15.value.size())),
                                                           EVP_PKEY_free);
  REQUIRE(key);
  CHECK(EVP_PKEY_eq(key.get(), contents.active_authentication_key.get()) == 1);
}

// --- EF.SOD and master lists ---

TEST_CASE("EF.SOD is a CMS SignedData of an LDSSecurityObject that verifies with the DS certificate it carries") {
  const auto contents = specimen_chip();
  const auto sod = emrtd::read_tlv(*contents.file(chip::file_id::sod));
  REQUIRE(sod.tag == 0x77);
  const auto cms = parse_cms(sod.value);
  CHECK(content_type(cms.get()) == "2.23.136.1.1.1");
  const auto certificates = CMS_get1_certs(cms.get());
  REQUIRE(sk_X509_num(certificates) == 1);
  CHECK(X509_cmp(sk_X509_value(certificates, 0), utopia().signer.certificate.get()) == 0);
  sk_X509_pop_free(certificates, X509_free);
  const auto lds = verified_content(cms.get(), utopia().signer.certificate.get());
  REQUIRE(lds);

  // LDSSecurityObject { version 0, hashAlgorithm sha256, dataGroupHashValues }
  const auto object = emrtd::read_tlv(*lds);
  REQUIRE(object.tag == 0x30);
  const auto parts = emrtd::read_tlvs(object.value);
  REQUIRE(parts.size() == 3);
  CHECK(emrtd::to_hex(parts[0].value) == "00");
  CHECK(emrtd::to_hex(parts[1].value) == "0609608648016503040201");
  std::map<int, Bytes> hashes;
  for (const auto& entry : emrtd::read_tlvs(parts[2].value)) {
    const auto fields = emrtd::read_tlvs(entry.value);
    REQUIRE(fields.size() == 2);
    hashes[fields[0].value[0]] = Bytes(fields[1].value.begin(), fields[1].value.end());
  }
  CHECK(hashes.size() == 6);  // DG1, DG2, DG11, DG12, DG14, DG15
  for (const auto& entry_number : hashes) {  // named, not bound: clang 14 lambdas cannot capture bindings
    const auto& number = entry_number.first;
    const auto& hash = entry_number.second;
    CAPTURE(number);
    CHECK(hash == sha256(*contents.file(chip::data_group_file_id(number))));
  }
}

TEST_CASE("a data group changed after signing no longer matches its hash in EF.SOD") {
  chip::PassportOptions options;
  options.tampered_data_group = 1;
  const auto tampered = specimen_chip(options);
  const auto& dg1 = *tampered.file(chip::data_group_file_id(1));
  const std::string mrz(dg1.begin() + 5, dg1.end());
  CHECK(mrz != joined_mrz());
  CHECK(mrz.substr(44, 9) == "M898902C3");  // the document number is forged
  const auto cms = parse_cms(emrtd::read_tlv(*tampered.file(chip::file_id::sod)).value);
  const auto lds = verified_content(cms.get(), nullptr);
  REQUIRE(lds);  // the signature is still good: only the hash gives it away
  const auto dg1_hash = sha256(dg1);
  CHECK(std::search(lds->begin(), lds->end(), dg1_hash.begin(), dg1_hash.end()) == lds->end());
}

TEST_CASE("a CSCA master list is a signed CscaMasterList (2.23.136.1.1.2) holding every CSCA") {
  const auto brainpool = chip::make_csca("UT", "CSCA Utopia brainpool", chip::KeyKind::BrainpoolP256r1Explicit,
                                         chip::days_from_now(-1), chip::days_from_now(3650));
  const auto rsa = chip::make_csca("XA", "CSCA Arcadia", chip::KeyKind::Rsa2048, chip::days_from_now(-1),
                                   chip::days_from_now(3650));
  const auto list_signer =
      chip::make_master_list_signer(utopia().csca, "UT", chip::days_from_now(-1), chip::days_from_now(365));
  CHECK(verify_chain(list_signer.certificate.get(), utopia().csca.certificate.get()) == X509_V_OK);
  const X509* cscas[] = {utopia().csca.certificate.get(), brainpool.certificate.get(), rsa.certificate.get()};
  const auto master_list = chip::make_master_list(cscas, list_signer);

  const auto cms = parse_cms(master_list);
  CHECK(content_type(cms.get()) == "2.23.136.1.1.2");
  const auto content = verified_content(cms.get(), list_signer.certificate.get());
  REQUIRE(content);
  const auto list = emrtd::read_tlvs(emrtd::read_tlv(*content).value);
  REQUIRE(list.size() == 2);
  CHECK(emrtd::to_hex(list[0].value) == "00");
  CHECK(list[1].tag == 0x31);
  int found = 0;
  for (ByteView rest = list[1].value; !rest.empty();) {
    const auto certificate = emrtd::read_tlv(rest);
    const auto parsed = chip::certificate_from_der(rest.first(certificate.size));
    for (const X509* csca : cscas) found += X509_cmp(parsed.get(), csca) == 0;
    rest = rest.subspan(certificate.size);
  }
  CHECK(found == 3);
}

// --- the chip, called directly ---

TEST_CASE("BAC, then a protected READ BINARY of DG1 gives the MRZ (the chip called directly)") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  CHECK(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
  CHECK(exchange(emrtd::select_file(chip::data_group_file_id(1))).sw == 0x9000);
  CHECK(exchange(emrtd::read_binary(0, 4)).sw == 0x6982);  // not before access control
  auto session = run_bac(exchange, card.contents().mrz_information);
  REQUIRE(session);
  const auto dg1 = read_protected_file(exchange, *session, chip::data_group_file_id(1));
  CHECK(std::string(dg1.begin() + 5, dg1.end()) == joined_mrz());
  const auto dg2 = read_protected_file(exchange, *session, chip::data_group_file_id(2));
  CHECK(dg2 == *card.contents().file(chip::data_group_file_id(2)));
}

TEST_CASE("a chip whose keys come from another MRZ refuses BAC with 6300") {
  chip::ChipBehaviour behaviour;
  behaviour.access_mrz_information = "AA00000007" "8001014" "3001014";
  chip::PassportChip card(specimen_chip(), behaviour);
  const auto exchange = direct(card);
  REQUIRE(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
  CHECK_FALSE(run_bac(exchange, card.contents().mrz_information));
  CHECK(exchange(emrtd::read_binary(0, 4)).sw == 0x6986);  // nothing selected, nothing open
}

TEST_CASE("EF.CardAccess is read in the master file without access control, and the data groups are not there") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  CHECK(exchange(emrtd::select_file(chip::file_id::card_access)).sw == 0x9000);
  const auto card_access = exchange(emrtd::read_binary(0, 256));
  CHECK(card_access.sw == 0x9000);
  CHECK(card_access.data == chip::make_card_access());
  CHECK(exchange(emrtd::select_file(chip::file_id::com)).sw == 0x6A82);
  CHECK(exchange(CommandApdu{0x00, 0xB0, 0x9C, 0x00, {}, 256}).data == chip::make_card_access());  // by SFI 1C
  CHECK(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
  CHECK(exchange(emrtd::select_file(chip::file_id::card_access)).sw == 0x6A82);

  chip::PassportOptions bac_only;
  bac_only.pace = false;
  chip::PassportChip old_card(specimen_chip(bac_only));
  CHECK(direct(old_card)(emrtd::select_file(chip::file_id::card_access)).sw == 0x6A82);
}

TEST_CASE("READ BINARY: 6A82 for a missing file, 6B00 past the end, 6282 with the rest near it") {
  chip::PassportOptions options;
  options.active_authentication = false;
  chip::PassportChip card(specimen_chip(options));
  const auto exchange = direct(card);
  auto session = open_bac(exchange, card.contents().mrz_information);
  CHECK(protected_exchange(exchange, session, emrtd::select_file(chip::data_group_file_id(15))).sw == 0x6A82);
  CHECK(protected_exchange(exchange, session, emrtd::select_file(chip::data_group_file_id(3))).sw == 0x6A82);
  CHECK(protected_exchange(exchange, session, emrtd::select_file(chip::data_group_file_id(1))).sw == 0x9000);
  CHECK(protected_exchange(exchange, session, emrtd::read_binary(93, 16)).sw == 0x6B00);
  const auto tail = protected_exchange(exchange, session, emrtd::read_binary(90, 16));
  CHECK(tail.sw == 0x6282);
  CHECK(tail.data.size() == 3);
  const auto all = protected_exchange(exchange, session, emrtd::read_binary(0, 256));  // Le 00: whatever there is
  CHECK(all.sw == 0x9000);
  CHECK(all.data.size() == 93);
}

TEST_CASE("extended-length reads: accepted by a chip that offers them, 6700 from a short-only chip") {
  chip::PassportChip modern(specimen_chip());
  auto exchange = direct(modern);
  auto session = open_bac(exchange, modern.contents().mrz_information);
  const auto dg2 = read_protected_file(exchange, session, chip::data_group_file_id(2), 0x1000);
  CHECK(dg2 == *modern.contents().file(chip::data_group_file_id(2)));
  CHECK((modern.answer_to_reset()[10] & 0x40) != 0);  // card capabilities: extended Lc and Le

  chip::ChipBehaviour short_only;
  short_only.extended_length = false;
  chip::PassportChip old(specimen_chip(), short_only);
  exchange = direct(old);
  session = open_bac(exchange, old.contents().mrz_information);
  REQUIRE(protected_exchange(exchange, session, emrtd::select_file(chip::data_group_file_id(2))).sw == 0x9000);
  CHECK(protected_exchange(exchange, session, emrtd::read_binary(0, 0x400)).sw == 0x6700);
  CHECK(protected_exchange(exchange, session, emrtd::read_binary(0, 0xE0)).sw == 0x6700);
  CHECK(protected_exchange(exchange, session, emrtd::read_binary(0, 0xDF)).sw == 0x9000);
  CHECK((old.answer_to_reset()[10] & 0x40) == 0);
}

TEST_CASE("the answer to reset has the contactless form and a right TCK") {
  chip::PassportChip card(specimen_chip());
  const auto atr = card.answer_to_reset();
  CHECK(emrtd::to_hex(ByteView(atr).first(4)) == "3B878001");
  CHECK(atr.size() == 4 + 7 + 1);
  std::uint8_t check = 0;
  for (std::size_t i = 1; i < atr.size(); ++i) check ^= atr[i];
  CHECK(check == 0);
}

TEST_CASE("PACE (OpenPACE as the terminal), then AES secure messaging reads DG1") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  auto session = run_openpace_terminal(exchange, card.contents().mrz_information);
  REQUIRE(session);
  CHECK(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);  // plain: ends the PACE session
  CHECK(exchange(emrtd::select_file(chip::data_group_file_id(1))).sw == 0x9000);
  CHECK(exchange(emrtd::read_binary(0, 4)).sw == 0x6982);

  session = run_openpace_terminal(exchange, card.contents().mrz_information);
  REQUIRE(session);
  REQUIRE(protected_exchange(exchange, *session, emrtd::select_application(kLdsApplication)).sw == 0x9000);
  const auto dg1 = read_protected_file(exchange, *session, chip::data_group_file_id(1));
  CHECK(std::string(dg1.begin() + 5, dg1.end()) == joined_mrz());
}

TEST_CASE("PACE with the wrong MRZ fails at the authentication token with 6300") {
  chip::ChipBehaviour behaviour;
  behaviour.access_mrz_information = "AA00000007" "8001014" "3001014";
  chip::PassportChip card(specimen_chip(), behaviour);
  CHECK_FALSE(run_openpace_terminal(direct(card), card.contents().mrz_information));
  chip::PassportOptions bac_only;
  bac_only.pace = false;
  chip::PassportChip old(specimen_chip(bac_only));
  CHECK(direct(old)(CommandApdu{0x00, 0x22, 0xC1, 0xA4, emrtd::from_hex("800A04007F00070202040202830101"), std::nullopt}).sw ==
        0x6A80);
}

TEST_CASE("PACE with the station's terminal (run_pace) opens the chip") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  REQUIRE(exchange(emrtd::select_file(chip::file_id::card_access)).sw == 0x9000);
  const auto card_access = exchange(emrtd::read_binary(0, 256)).data;
  auto session = emrtd::run_pace(exchange, card_access, card.contents().mrz_information).channel;
  REQUIRE(protected_exchange(exchange, session, emrtd::select_application(kLdsApplication)).sw == 0x9000);
  const auto dg1 = read_protected_file(exchange, session, chip::data_group_file_id(1));
  CHECK(std::string(dg1.begin() + 5, dg1.end()) == joined_mrz());
}

TEST_CASE("the station's ChipSession opens a PACE chip with PACE: EF.CardAccess's short read ends with 6282") {
  // The session asks for 0xDF bytes of the 22-byte EF.CardAccess; the chip sends them with 6282
  // (end of file before Le), which is the whole file, not a refusal that would mean BAC.
  chip::PassportChip card(specimen_chip());
  emrtd::ChipSession session([&card](ByteView command) { return card.respond(command); });
  const auto access = session.open(card.contents().mrz_information);
  CHECK(access.method == "PACE");
  CHECK(access.fallback_reason.empty());
  CHECK(access.card_access == chip::make_card_access());
  CHECK(session.read_file(chip::data_group_file_id(1)) == *card.contents().file(chip::data_group_file_id(1)));
}

TEST_CASE("Active Authentication: the chip signs the terminal's challenge with the DG15 key (ECDSA plain r||s)") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  REQUIRE(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
  const Bytes challenge = random_bytes(8);
  const CommandApdu internal_authenticate{0x00, 0x88, 0x00, 0x00, challenge, 256};
  CHECK(exchange(internal_authenticate).sw == 0x6982);  // only after access control
  auto session = run_bac(exchange, card.contents().mrz_information);
  REQUIRE(session);
  const auto answer = protected_exchange(exchange, *session, internal_authenticate);
  REQUIRE(answer.sw == 0x9000);
  REQUIRE(answer.data.size() == 64);

  const auto dg15_file = read_protected_file(exchange, *session, chip::data_group_file_id(15));
  const auto dg15 = emrtd::read_tlv(dg15_file);
  const unsigned char* cursor = dg15.value.data();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(dg15.value.size())),
                                                           EVP_PKEY_free);
  REQUIRE(key);
  ECDSA_SIG* signature = ECDSA_SIG_new();
  ECDSA_SIG_set0(signature, BN_bin2bn(answer.data.data(), 32, nullptr), BN_bin2bn(answer.data.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_length = i2d_ECDSA_SIG(signature, &der);
  ECDSA_SIG_free(signature);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> verify(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  REQUIRE(EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1);
  CHECK(EVP_DigestVerify(verify.get(), der, static_cast<std::size_t>(der_length), challenge.data(), challenge.size()) == 1);
  OPENSSL_free(der);
}

TEST_CASE("a plain command or a wrong MAC ends secure messaging") {
  chip::PassportChip card(specimen_chip());
  const auto exchange = direct(card);
  auto session = open_bac(exchange, card.contents().mrz_information);
  auto command = session.protect(emrtd::select_file(chip::data_group_file_id(1)));
  command.data.back() ^= 0x01;  // the last byte of the MAC
  CHECK(exchange(command).sw == 0x6988);
  CHECK(exchange(emrtd::select_file(chip::data_group_file_id(1))).sw == 0x9000);
  CHECK(exchange(emrtd::read_binary(0, 4)).sw == 0x6982);
}

// --- through pcscd and vsmartcard-vpcd ---

TEST_CASE("through pcscd: a virtual chip answers SELECT, BAC and a protected READ BINARY, and taken away leaves the reader empty") {
  chip::PrivatePcscd pcscd(CHIP_TESTKIT_WORK_DIR);
  const auto names = chip::reader_names();
  INFO("readers: " << names.size());
  REQUIRE(names.size() >= 2);
  const auto reader = pcscd.reader_name(chip::test_reader_a());
  CHECK(reader == std::string(chip::kTestReaderName) + " 00 00");
  CHECK_FALSE(chip::wait_for_card_state(reader, true, 200));

  chip::VirtualChip passport(specimen_chip());
  passport.insert(chip::test_reader_a().port);
  INFO(pcscd.output());
  REQUIRE(chip::wait_for_card_state(reader, true, 5000));
  {
    chip::PcscCard card(reader);
    CHECK(emrtd::to_hex(card.atr()).rfind("3B878001", 0) == 0);
    const Exchange exchange = through(card);
    CHECK(exchange(emrtd::select_application(kLdsApplication)).sw == 0x9000);
    auto session = run_bac(exchange, passport.contents().mrz_information);
    REQUIRE(session);
    const auto dg1 = read_protected_file(exchange, *session, chip::data_group_file_id(1));
    CHECK(std::string(dg1.begin() + 5, dg1.end()) == joined_mrz());
    const auto dg2 = read_protected_file(exchange, *session, chip::data_group_file_id(2), 0x1000);  // extended APDUs
    CHECK(dg2 == *passport.contents().file(chip::data_group_file_id(2)));
  }
  CHECK(passport.apdu_count() > 10);
  passport.remove();
  CHECK(chip::wait_for_card_state(reader, false, 5000));
}

TEST_CASE("through pcscd: a chip that breaks off in the middle of DG2 vanishes from the reader, and reads through when put back") {
  chip::PrivatePcscd pcscd(CHIP_TESTKIT_WORK_DIR);
  const auto reader = pcscd.reader_name(chip::test_reader_b());
  chip::ChipBehaviour behaviour;
  behaviour.break_after_bytes = 5000;
  chip::VirtualChip passport(specimen_chip(), behaviour);
  passport.insert(chip::test_reader_b().port);
  REQUIRE(chip::wait_for_card_state(reader, true, 5000));
  {
    chip::PcscCard card(reader);
    const Exchange exchange = through(card);
    auto session = open_bac(exchange, passport.contents().mrz_information);
    REQUIRE(protected_exchange(exchange, session, emrtd::select_file(chip::data_group_file_id(2))).sw == 0x9000);
    bool broke_off = false;
    for (std::size_t offset = 0; offset < 20'000 && !broke_off; offset += 0xDF) {
      try {
        protected_exchange(exchange, session, emrtd::read_binary(offset, 0xDF));
      } catch (const std::runtime_error& error) {
        INFO(error.what());
        broke_off = true;
      }
    }
    CHECK(broke_off);
    CHECK(passport.bytes_read() >= 5000);
    CHECK(passport.bytes_read() < 5000 + 0xDF);
  }
  CHECK(chip::wait_for_card_state(reader, false, 5000));
  CHECK_FALSE(passport.inserted());

  passport.insert(chip::test_reader_b().port);
  REQUIRE(chip::wait_for_card_state(reader, true, 5000));
  chip::PcscCard card(reader);
  const Exchange exchange = through(card);
  auto session = open_bac(exchange, passport.contents().mrz_information);
  CHECK(read_protected_file(exchange, session, chip::data_group_file_id(2)) ==
        *passport.contents().file(chip::data_group_file_id(2)));
}
