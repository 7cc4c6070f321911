// The chip's inspection checks (chip.*): each thing a chip can tell the inspector, from the
// report read_chip gives, in the same words as the optical checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "inspection_support.hpp"
#include "inspection/inspection.hpp"

using namespace borderpost::station;
using namespace borderpost::station::emrtd;
using namespace inspection_support;

namespace {

InspectionFacts facts_with_chip(ChipFacts chip, mrz::Document document = passport()) {
  InspectionFacts facts;
  facts.document = std::move(document);
  facts.crossing_date = kCrossing;
  facts.direction = Direction::entry;
  facts.chip = std::move(chip);
  return facts;
}

// A copy: the verdict is often a temporary.
CheckResult check(const Verdict& verdict, std::string_view id) {
  const auto it = std::find_if(verdict.checks.begin(), verdict.checks.end(), [&](const CheckResult& c) { return c.id == id; });
  REQUIRE(it != verdict.checks.end());
  return *it;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

const char* const kChipChecks[] = {"chip.access", "chip.passive_auth", "chip.dg_hashes", "chip.ds_certificate",
                                   "chip.mrz_matches_optical", "chip.active_auth"};

}  // namespace

TEST_CASE("a chip that verifies in every way passes all six chip checks") {
  const auto verdict = inspect(facts_with_chip(verified_chip(passport())), Rules{});
  for (const char* id : kChipChecks) CHECK_MESSAGE(check(verdict, id).status == CheckStatus::Pass, id);
  CHECK(verdict.overall == CheckStatus::Pass);
  CHECK(verdict.headline == "Every check passes.");
  CHECK(check(verdict, "chip.access").measurement == "PACE id-PACE-ECDH-GM-AES-CBC-CMAC-128");
  CHECK(contains(check(verdict, "chip.dg_hashes").reason, "DG1, DG2 and DG15"));
  CHECK(check(verdict, "chip.ds_certificate").measurement == "DS UT, valid until 2034-01-01");
}

TEST_CASE("a post without a chip reader runs no chip check and the headline does not count them") {
  const auto verdict = inspect(facts_with_chip(ChipFacts{}), Rules{});
  for (const char* id : kChipChecks) {
    CHECK(check(verdict, id).status == CheckStatus::NotRun);
    CHECK(check(verdict, id).reason == "This post has no chip reader.");
  }
  CHECK(verdict.headline == "Every check passes.");
}

TEST_CASE("a passport whose chip does not answer warns that a chip is missing") {
  ChipFacts chip;
  chip.state = ChipFacts::State::absent;
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  const auto& access = check(verdict, "chip.access");
  CHECK(access.status == CheckStatus::Warn);
  CHECK(access.reason_phrase.key == "reason.chip.access.missing");
  CHECK(contains(verdict.headline, "no chip answered"));
  CHECK(check(verdict, "chip.passive_auth").status == CheckStatus::NotRun);
}

TEST_CASE("a document not expected to carry a chip passes without one") {
  ChipFacts chip;
  chip.state = ChipFacts::State::absent;
  Rules rules;
  rules.chip_not_expected_issuers = {"UTO"};  // a state that issues passports without chips
  const auto verdict = inspect(facts_with_chip(chip), rules);
  CHECK(check(verdict, "chip.access").status == CheckStatus::NotRun);
  CHECK(check(verdict, "chip.access").reason_phrase.key == "reason.chip.access.none");
  CHECK(verdict.overall == CheckStatus::Pass);
  CHECK(verdict.headline == "Every check passes.");
}

TEST_CASE("which documents should carry a chip follows the post's rules") {
  Rules rules;
  CHECK(chip_expected(passport(), rules));
  const auto id_card = mrz::parse("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  CHECK_FALSE(chip_expected(id_card, rules));
  rules.chip_expected_codes = {"P", "I"};
  CHECK(chip_expected(id_card, rules));
  rules.chip_not_expected_issuers = {"UTO"};
  CHECK_FALSE(chip_expected(id_card, rules));
}

TEST_CASE("an unavailable chip reader warns with the reason") {
  ChipFacts chip;
  chip.state = ChipFacts::State::unavailable;
  chip.detail = "pcscd is not running";
  const auto& access = check(inspect(facts_with_chip(chip), Rules{}), "chip.access");
  CHECK(access.status == CheckStatus::Warn);
  CHECK(contains(access.reason, "pcscd is not running"));
}

TEST_CASE("a chip that refuses the MRZ's keys fails with an alert") {
  auto chip = verified_chip(passport());
  chip.report = {};
  chip.report.outcome = ChipReport::Outcome::access_denied;
  chip.report.error = "BAC: the chip refused EXTERNAL AUTHENTICATE";
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  CHECK(check(verdict, "chip.access").status == CheckStatus::Fail);
  CHECK(check(verdict, "chip.access").alert);
  CHECK(verdict.overall == CheckStatus::Fail);
  CHECK(contains(verdict.headline, "chip refuses this MRZ"));
  for (const char* id : {"chip.passive_auth", "chip.dg_hashes", "chip.ds_certificate", "chip.mrz_matches_optical", "chip.active_auth"})
    CHECK(check(verdict, id).status == CheckStatus::NotRun);
}

TEST_CASE("a chip that broke off mid-read warns and asks to read again") {
  auto chip = verified_chip(passport());
  chip.report.outcome = ChipReport::Outcome::broken_off;
  chip.report.error = "the card was removed";
  chip.report.passive.reset();
  chip.report.active_auth = ChipReport::ActiveAuth::not_offered;
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  CHECK(check(verdict, "chip.access").status == CheckStatus::Warn);
  CHECK(contains(check(verdict, "chip.access").reason, "read it again"));
  CHECK(check(verdict, "chip.passive_auth").status == CheckStatus::NotRun);
  CHECK(check(verdict, "chip.mrz_matches_optical").status == CheckStatus::Pass);  // DG1 came before the break
}

TEST_CASE("PACE failing and BAC opening the chip still passes and says so") {
  auto chip = verified_chip(passport());
  chip.report.access.method = "BAC";
  chip.report.access.pace_protocol.clear();
  chip.report.access.fallback_reason = "MSE:Set AT refused (6A80)";
  const auto& access = check(inspect(facts_with_chip(chip), Rules{}), "chip.access");
  CHECK(access.status == CheckStatus::Pass);
  CHECK(contains(access.reason, "6A80"));
}

TEST_CASE("a data group changed after signing fails the hashes with an alert naming it") {
  auto chip = verified_chip(passport());
  chip.report.passive->hashes[0].state = PassiveAuthentication::GroupHash::State::differs;
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  const auto& hashes = check(verdict, "chip.dg_hashes");
  CHECK(hashes.status == CheckStatus::Fail);
  CHECK(hashes.alert);
  CHECK(hashes.reason_phrase.args == mrz::MessageArgs{{"groups", "DG1"}});
  CHECK(contains(verdict.headline, "chip data altered (DG1)"));
  CHECK(check(verdict, "chip.passive_auth").status == CheckStatus::Pass);  // the signature itself is good
}

TEST_CASE("a broken EF.SOD signature fails passive authentication") {
  auto chip = verified_chip(passport());
  chip.report.passive->signature = PassiveAuthentication::Signature::invalid;
  chip.report.passive->signature_detail = "signature mismatch";
  const auto& passive = check(inspect(facts_with_chip(chip), Rules{}), "chip.passive_auth");
  CHECK(passive.status == CheckStatus::Fail);
  CHECK(passive.alert);
  CHECK(contains(passive.reason, "signature mismatch"));
}

TEST_CASE("a chip without EF.SOD fails passive authentication") {
  auto chip = verified_chip(passport());
  chip.report.passive.reset();
  chip.report.passive_error = "EF.SOD: file not found (6A82)";
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  CHECK(check(verdict, "chip.passive_auth").status == CheckStatus::Fail);
  CHECK(check(verdict, "chip.dg_hashes").status == CheckStatus::NotRun);
  CHECK(check(verdict, "chip.ds_certificate").status == CheckStatus::NotRun);
}

TEST_CASE("the document signer certificate's problems are each their own result") {
  using Certificate = PassiveAuthentication::Certificate;
  struct Case {
    Certificate certificate;
    CheckStatus status;
    const char* key;
  };
  for (const auto& c : {Case{Certificate::unknown_csca, CheckStatus::Warn, "reason.chip.ds_certificate.unknown_csca"},
                        Case{Certificate::csca_expired, CheckStatus::Warn, "reason.chip.ds_certificate.csca_expired"},
                        Case{Certificate::ds_expired, CheckStatus::Warn, "reason.chip.ds_certificate.ds_expired"},
                        Case{Certificate::invalid, CheckStatus::Fail, "reason.chip.ds_certificate.fail"}}) {
    auto chip = verified_chip(passport());
    chip.report.passive->certificate = c.certificate;
    chip.report.passive->certificate_detail = "certificate has expired";
    const auto& ds = check(inspect(facts_with_chip(chip), Rules{}), "chip.ds_certificate");
    CHECK(ds.status == c.status);
    CHECK(ds.reason_phrase.key == c.key);
  }
}

TEST_CASE("a document signer of another state than the MRZ's issuing state fails") {
  auto chip = verified_chip(passport());
  chip.report.passive->ds_country = "DE";
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  const auto& ds = check(verdict, "chip.ds_certificate");
  CHECK(ds.status == CheckStatus::Fail);
  CHECK(ds.alert);
  CHECK(contains(ds.reason, "of DE, but the MRZ names UTO"));
  // Germany's own passports carry D in the MRZ and DE in the certificate.
  auto german = verified_chip(passport({.issuer = "D", .nationality = "D"}));
  german.report.passive->ds_country = "DE";
  CHECK(check(inspect(facts_with_chip(german, passport({.issuer = "D", .nationality = "D"})), Rules{}), "chip.ds_certificate").status ==
        CheckStatus::Pass);
}

TEST_CASE("a chip MRZ that differs from the printed one fails naming the fields") {
  auto chip = verified_chip(passport({.surname = "Ericsson", .birth = date(1975, 8, 12)}));
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  const auto& same = check(verdict, "chip.mrz_matches_optical");
  CHECK(same.status == CheckStatus::Fail);
  CHECK(same.alert);
  CHECK(contains(same.reason, "surname"));
  CHECK(contains(same.reason, "date of birth"));
  CHECK(same.reason_phrase.args == mrz::MessageArgs{{"fields", "name\nbirth_date"}});
}

TEST_CASE("a typed MRZ is compared with the chip's and named as typed") {
  auto facts = facts_with_chip(verified_chip(passport()));
  facts.source = MrzSource::Typed;
  CHECK(check(inspect(facts, Rules{}), "chip.mrz_matches_optical").reason_phrase.key == "reason.chip.mrz_matches_optical.pass_typed");
}

TEST_CASE("active authentication results: invalid fails, incomplete warns, not offered does not run") {
  auto chip = verified_chip(passport());
  chip.report.active_auth = ChipReport::ActiveAuth::invalid;
  chip.report.active_auth_detail = "the signature does not verify";
  const auto& invalid = check(inspect(facts_with_chip(chip), Rules{}), "chip.active_auth");
  CHECK(invalid.status == CheckStatus::Fail);
  CHECK(invalid.alert);
  chip.report.active_auth = ChipReport::ActiveAuth::failed;
  CHECK(check(inspect(facts_with_chip(chip), Rules{}), "chip.active_auth").status == CheckStatus::Warn);
  chip.report.active_auth = ChipReport::ActiveAuth::not_offered;
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  CHECK(check(verdict, "chip.active_auth").status == CheckStatus::NotRun);
  CHECK(verdict.headline == "Every check passes.");  // optional in Doc 9303: no gap
}

TEST_CASE("while the chip is read its checks wait without counting as gaps") {
  ChipFacts chip;
  chip.state = ChipFacts::State::reading;
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  for (const char* id : kChipChecks) CHECK(check(verdict, id).reason_phrase.key == "reason.chip.reading");
  CHECK(verdict.headline == "Every check passes.");
}

TEST_CASE("chip authentication proves the chip genuine like active authentication, and its failure is an alert") {
  auto chip = verified_chip(passport());
  chip.report.active_auth = ChipReport::ActiveAuth::not_offered;
  chip.report.chip_auth = ChipReport::ChipAuth::valid;
  auto genuine = check(inspect(facts_with_chip(chip), Rules{}), "chip.active_auth");
  CHECK(genuine.status == CheckStatus::Pass);
  CHECK(genuine.measurement == "Chip Authentication");
  chip.report.active_auth = ChipReport::ActiveAuth::valid;
  genuine = check(inspect(facts_with_chip(chip), Rules{}), "chip.active_auth");
  CHECK(genuine.measurement == "Chip Authentication and Active Authentication");
  CHECK(genuine.measurement_phrase.args == mrz::MessageArgs{{"how", "chip_authentication\nactive_authentication"}});

  chip.report.chip_auth = ChipReport::ChipAuth::failed;  // a cloned chip: the files are genuine, the key is not
  chip.report.chip_auth_detail = "the chip could not read EF.COM under the new keys";
  const auto verdict = inspect(facts_with_chip(chip), Rules{});
  CHECK(check(verdict, "chip.active_auth").status == CheckStatus::Fail);
  CHECK(check(verdict, "chip.active_auth").alert);
  CHECK(contains(verdict.headline, "chip may be a copy"));

  chip.report.active_auth = ChipReport::ActiveAuth::not_offered;
  chip.report.chip_auth = ChipReport::ChipAuth::not_run;
  chip.report.chip_auth_detail = "DH Chip Authentication is not supported";
  const auto unsupported = check(inspect(facts_with_chip(chip), Rules{}), "chip.active_auth");
  CHECK(unsupported.status == CheckStatus::NotRun);
  CHECK(contains(unsupported.reason, "DH Chip Authentication"));
}
