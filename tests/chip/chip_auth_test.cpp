// Chip Authentication (ICAO Doc 9303 Part 11, 6.2) between the station's terminal (station/emrtd,
// OpenSSL) and the test kit's chip (OpenPACE), the chip called directly: after PACE and after
// BAC, with AES and with 3DES, through read_chip with its report, and against a cloned chip that
// has every file of a genuine passport but not its private keys.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "lds_builder.hpp"
#include "passport_chip.hpp"
#include "emrtd/chip_auth.hpp"
#include "emrtd/chip_session.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/read_chip.hpp"
#include "emrtd/tlv.hpp"
#include "emrtd/trust_store.hpp"
#include "test_pki.hpp"
#include "testkit_names.hpp"

using emrtd::ChipReport;

namespace {

// A trust store holding Utopia's CSCA, made once per run in a directory of this process's own.
struct TrustDirectory {
  std::filesystem::path path = std::filesystem::path(CHIP_TESTKIT_WORK_DIR) / ("chip-auth-trust-" + std::to_string(::getpid()));
  ~TrustDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};
const emrtd::TrustStore& trust() {
  static const TrustDirectory directory;
  static const emrtd::TrustStore store = [] {
    emrtd::TrustStore made(directory.path);
    made.import_bytes(chip::der(utopia().csca.certificate.get()), "csca-utopia.der");
    made.reload();
    return made;
  }();
  return store;
}

chip::ChipContents passport(chip::PassportOptions options = {}) {
  options.document_signer = &utopia().signer;
  return chip::make_passport_chip(chip::specimen_mrz_lines(), options);
}

chip::PassportOptions with_chip_authentication() {
  chip::PassportOptions options;
  options.chip_authentication = true;
  return options;
}

emrtd::RawTransmit transmit_to(chip::PassportChip& card) {
  return [&card](ByteView command) { return card.respond(command); };
}

// Access control, DG14, and the station's first offer run over the same session.
std::string authenticate(chip::PassportChip& card, emrtd::ChipSession& session, bool try_pace = true) {
  session.open(card.contents().mrz_information, try_pace);
  const auto dg14 = session.read_file(chip::data_group_file_id(14));
  REQUIRE(dg14);
  const auto offers = emrtd::chip_authentication_offers(*dg14);
  REQUIRE(offers.size() == 1);
  return emrtd::run_chip_authentication(session, offers.front());
}

bool has_step(const ChipReport& report, const std::string& name) {
  return std::any_of(report.steps.begin(), report.steps.end(), [&](const ChipReport::Step& step) { return step.name == name; });
}

}  // namespace

TEST_CASE("DG14 offers Chip Authentication: ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo beside PACE and Active Authentication") {
  auto options = with_chip_authentication();
  options.chip_authentication_key_id = 3;
  const auto contents = passport(options);
  const auto offers = emrtd::chip_authentication_offers(*contents.file(chip::data_group_file_id(14)));
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].protocol == "id-CA-ECDH-AES-CBC-CMAC-128");
  CHECK(emrtd::to_hex(offers[0].protocol_oid) == "04007F00070202030202");
  CHECK(offers[0].version == 1);
  CHECK(offers[0].key_id == std::uint64_t{3});
  CHECK(offers[0].public_key == chip::subject_public_key_info(contents.chip_authentication_key.get()));
  CHECK(offers[0].unsupported.empty());
}

TEST_CASE("Chip Authentication after PACE: AES keys agreed on brainpoolP256r1, and the files read on under them") {
  chip::PassportChip card(passport(with_chip_authentication()));
  emrtd::ChipSession session(transmit_to(card));
  CHECK(authenticate(card, session) == "id-CA-ECDH-AES-CBC-CMAC-128 on brainpoolP256r1 (explicit parameters)");
  // Every command now goes under the new keys, the counter started again at zero.
  CHECK(session.read_file(chip::data_group_file_id(1)) == *card.contents().file(chip::data_group_file_id(1)));
  CHECK(session.read_file(chip::data_group_file_id(2)) == *card.contents().file(chip::data_group_file_id(2)));
}

TEST_CASE("Chip Authentication after BAC: from 3DES secure messaging to AES, on P-256") {
  auto options = with_chip_authentication();
  options.pace = false;
  options.chip_authentication_key = chip::KeyKind::EcP256;
  chip::PassportChip card(passport(options));
  emrtd::ChipSession session(transmit_to(card));
  CHECK(authenticate(card, session) == "id-CA-ECDH-AES-CBC-CMAC-128 on prime256v1");
  CHECK(session.read_file(chip::data_group_file_id(1)) == *card.contents().file(chip::data_group_file_id(1)));
}

TEST_CASE("Chip Authentication with 3DES: MSE:Set KAT with the key identifier, then 3DES secure messaging from counter zero") {
  auto options = with_chip_authentication();
  options.chip_authentication_cipher = chip::ChipAuthenticationCipher::Des3;
  options.chip_authentication_key_id = 1;
  chip::PassportChip card(passport(options));
  emrtd::ChipSession session(transmit_to(card));
  CHECK(authenticate(card, session, false) == "id-CA-ECDH-3DES-CBC-CBC on brainpoolP256r1 (explicit parameters)");
  CHECK(session.read_file(chip::data_group_file_id(11)) == *card.contents().file(chip::data_group_file_id(11)));

  SUBCASE("a 3DES chip without MSE:Set KAT is authenticated with MSE:Set AT and GENERAL AUTHENTICATE (Part 11, 8.5 note 1)") {
    chip::ChipBehaviour set_at_only;
    set_at_only.mse_set_kat = false;
    chip::PassportChip old(passport(options), set_at_only);
    emrtd::ChipSession old_session(transmit_to(old));
    CHECK(authenticate(old, old_session) == "id-CA-ECDH-3DES-CBC-CBC on brainpoolP256r1 (explicit parameters)");
    CHECK(old_session.read_file(chip::data_group_file_id(1)) == *old.contents().file(chip::data_group_file_id(1)));
  }
}

TEST_CASE("a cloned chip, its files copied but not its private key, fails Chip Authentication: it cannot answer under the agreed keys") {
  chip::ChipBehaviour clone;
  clone.cloned = true;
  chip::PassportChip card(passport(with_chip_authentication()), clone);
  emrtd::ChipSession session(transmit_to(card));
  CHECK_THROWS_WITH_AS(authenticate(card, session), doctest::Contains("it does not hold DG14's private key"),
                       emrtd::ChipAuthenticationError);
}

TEST_CASE("the chip refuses a terminal key that is not on its curve with 6A80, and the session goes on under the old keys") {
  chip::PassportChip card(passport(with_chip_authentication()));
  emrtd::ChipSession session(transmit_to(card));
  session.open(card.contents().mrz_information);
  CHECK(session.exchange(CommandApdu{0x00, 0x22, 0x41, 0xA4, emrtd::from_hex("800A04007F00070202030201"), std::nullopt}).sw ==
        0x6A80);  // 3DES: not this chip's protocol
  CHECK(session.exchange(CommandApdu{0x00, 0x22, 0x41, 0xA4, emrtd::from_hex("800A04007F00070202030202 840105"), std::nullopt}).sw ==
        0x6A88);  // no key 5
  REQUIRE(session.exchange(CommandApdu{0x00, 0x22, 0x41, 0xA4, emrtd::from_hex("800A04007F00070202030202"), std::nullopt}).ok());
  Bytes off_curve(65, 0x01);
  off_curve[0] = 0x04;
  const auto answer = session.exchange(CommandApdu{0x00, 0x86, 0x00, 0x00, emrtd::encode_tlv(0x7C, emrtd::encode_tlv(0x80, off_curve)), 256});
  CHECK(answer.sw == 0x6A80);
  CHECK(session.read_file(chip::data_group_file_id(1)) == *card.contents().file(chip::data_group_file_id(1)));
}

TEST_CASE("read_chip runs Chip Authentication after passive authentication, as a step of its own, and Active Authentication still runs") {
  chip::PassportChip card(passport(with_chip_authentication()));
  const auto report = emrtd::read_chip(transmit_to(card), card.contents().mrz_information, trust());
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  REQUIRE(report.passive);
  CHECK(report.passive->signature == emrtd::PassiveAuthentication::Signature::valid);
  CHECK(report.passive->certificate == emrtd::PassiveAuthentication::Certificate::valid);
  CHECK(report.passive->hashes_match());
  CHECK(report.chip_auth == ChipReport::ChipAuth::valid);
  CHECK(report.chip_auth_detail == "id-CA-ECDH-AES-CBC-CMAC-128 on brainpoolP256r1 (explicit parameters)");
  CHECK(report.active_auth == ChipReport::ActiveAuth::valid);
  REQUIRE(report.steps.size() >= 2);
  CHECK(report.steps.back().name == "chip authentication");
  CHECK(report.steps[report.steps.size() - 2].name == "passive authentication");

  SUBCASE("and over BAC with 3DES") {
    auto options = with_chip_authentication();
    options.pace = false;
    options.chip_authentication_cipher = chip::ChipAuthenticationCipher::Des3;
    chip::PassportChip old(passport(options));
    const auto old_report = emrtd::read_chip(transmit_to(old), old.contents().mrz_information, trust());
    CHECK(old_report.access.method == "BAC");
    CHECK(old_report.chip_auth == ChipReport::ChipAuth::valid);
    CHECK(old_report.chip_auth_detail.starts_with("id-CA-ECDH-3DES-CBC-CBC"));
  }
}

TEST_CASE("read_chip: a cloned chip passes passive authentication, fails Chip and Active Authentication, and keeps what was read") {
  chip::ChipBehaviour clone;
  clone.cloned = true;
  chip::PassportChip card(passport(with_chip_authentication()), clone);
  const auto report = emrtd::read_chip(transmit_to(card), card.contents().mrz_information, trust());
  CHECK(report.outcome == ChipReport::Outcome::read);
  CHECK(report.error.empty());
  REQUIRE(report.passive);
  CHECK(report.passive->signature == emrtd::PassiveAuthentication::Signature::valid);
  CHECK(report.passive->hashes_match());
  CHECK(report.chip_auth == ChipReport::ChipAuth::failed);
  CHECK(report.chip_auth_detail.find("it does not hold DG14's private key") != std::string::npos);
  CHECK(report.active_auth == ChipReport::ActiveAuth::invalid);
  CHECK(report.dg1_mrz == chip::specimen_mrz_lines()[0] + "\n" + chip::specimen_mrz_lines()[1]);
  CHECK(report.faces.size() == 1);
  for (const int group : {1, 2, 11, 12, 14, 15}) CHECK(report.groups.count(group) == 1);
  CHECK(has_step(report, "chip authentication"));
}

TEST_CASE("read_chip: without Chip Authentication in DG14 it is not offered, and a malformed DG14 is reported as not run") {
  chip::PassportChip plain(passport());
  const auto report = emrtd::read_chip(transmit_to(plain), plain.contents().mrz_information, trust());
  CHECK(report.outcome == ChipReport::Outcome::read);
  CHECK(report.chip_auth == ChipReport::ChipAuth::not_offered);
  CHECK(report.chip_auth_detail.empty());
  CHECK_FALSE(has_step(report, "chip authentication"));

  auto contents = passport(with_chip_authentication());
  // A ChipAuthenticationInfo without its public key (and a DG14 no longer the one EF.SOD hashed).
  contents.files[chip::data_group_file_id(14)] = emrtd::from_hex("6E13" "3111" "300F060A04007F00070202030202020101");
  chip::PassportChip broken(std::move(contents));
  const auto broken_report = emrtd::read_chip(transmit_to(broken), broken.contents().mrz_information, trust());
  CHECK(broken_report.outcome == ChipReport::Outcome::read);
  CHECK(broken_report.chip_auth == ChipReport::ChipAuth::not_run);
  CHECK(broken_report.chip_auth_detail == "DG14 is malformed: DG14 offers id-CA-ECDH-AES-CBC-CMAC-128 without its public key");
  CHECK_FALSE(broken_report.passive->hashes_match());
  CHECK(broken_report.groups.count(1) == 1);
}
