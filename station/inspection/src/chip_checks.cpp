// The chip's checks (chip.*): what the station learned from the document's ePassport chip, in
// the same pass / warn / fail / not-run words as the optical checks. A chip that does not open,
// or breaks off, says so once, in chip.access; the checks that needed its data then do not run.
#include <algorithm>
#include <string>
#include <vector>

#include "check_support.hpp"
#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"

namespace borderpost::station {

namespace {

using namespace checks;
using emrtd::ChipReport;
using emrtd::PassiveAuthentication;

const char* const kChipChecks[] = {"chip.passive_auth", "chip.dg_hashes", "chip.ds_certificate", "chip.mrz_matches_optical",
                                   "chip.active_auth"};

// Why a check did not run when the chip was not read: no reader, a read under way, or anything else.
Said not_read(ChipFacts::State state) {
  if (state == ChipFacts::State::no_reader) return said("This post has no chip reader.", "reason.chip.no_reader");
  if (state == ChipFacts::State::reading) return said("Reading the chip.", "reason.chip.reading");
  return said("The chip was not read.", "reason.chip.not_read");
}

// Every chip check but access, not run for one reason.
void none_of_the_rest(std::vector<Outcome>& out, const Said& reason) {
  for (const char* id : kChipChecks) out.push_back(does_not_apply(id, reason));
}

Outcome access(const ChipFacts& chip, bool expected) {
  const auto& r = chip.report;
  switch (chip.state) {
    case ChipFacts::State::no_reader:
    case ChipFacts::State::reading:
      return does_not_apply("chip.access", not_read(chip.state));
    case ChipFacts::State::no_keys:
      return does_not_apply("chip.access", said("The chip's keys come from the MRZ's document number and dates, and there are none to use.",
                                                "reason.chip.no_keys"));
    case ChipFacts::State::absent:
      if (!expected)
        return does_not_apply("chip.access", said("No chip answered on the reader (none is expected on this document).",
                                                  "reason.chip.access.none"));
      return outcome("chip.access", CheckStatus::Warn,
                     said("This document should carry a chip, but none answered on the reader. Look for the chip symbol on "
                          "the cover: a missing or dead chip can mean a forged or a damaged document.",
                          "reason.chip.access.missing"),
                     "no chip answered");
    case ChipFacts::State::unavailable:
      return outcome("chip.access", CheckStatus::Warn,
                     said(cat("The chip reader is not available (", chip.detail, "): the chip could not be checked."),
                          "reason.chip.access.unavailable", {{"why", chip.detail}}),
                     "chip reader unavailable");
    case ChipFacts::State::read:
      break;
  }
  switch (r.outcome) {
    case ChipReport::Outcome::access_denied:
      return outcome("chip.access", CheckStatus::Fail,
                     said("The chip refused the keys of this MRZ: the chip does not belong to this data page, or the MRZ "
                          "was altered.",
                          "reason.chip.access.denied"),
                     "chip refuses this MRZ", {}, true);
    case ChipReport::Outcome::broken_off:
      return outcome("chip.access", CheckStatus::Warn,
                     said(cat("The chip stopped answering during the read (", r.error,
                              "). Keep the document still on the reader and read it again."),
                          "reason.chip.access.broken_off", {{"why", r.error}}),
                     "chip read broke off");
    case ChipReport::Outcome::read:
      break;
  }
  const std::string method = r.access.method + (r.access.pace_protocol.empty() ? "" : " " + r.access.pace_protocol);
  const Said measured = said(method, "measure.chip.access", {{"method", method}});
  if (!r.access.fallback_reason.empty())
    return outcome("chip.access", CheckStatus::Pass,
                   said(cat("PACE failed (", r.access.fallback_reason, "); the chip opened with BAC."),
                        "reason.chip.access.pass_fallback", {{"why", r.access.fallback_reason}}),
                   {}, measured);
  return outcome("chip.access", CheckStatus::Pass,
                 said(cat("The chip opened with ", r.access.method, " using the MRZ's keys."), "reason.chip.access.pass",
                      {{"method", r.access.method}}),
                 {}, measured);
}

// Data groups as "DG1", "DG2", for the pages' plain lists.
std::vector<std::string> group_names(const std::vector<PassiveAuthentication::GroupHash>& hashes, PassiveAuthentication::GroupHash::State state) {
  std::vector<std::string> names;
  for (const auto& h : hashes)
    if (h.state == state) names.push_back("DG" + std::to_string(h.data_group));
  return names;
}

Outcome passive_signature(const ChipReport& r) {
  if (!r.passive) {
    if (r.outcome != ChipReport::Outcome::read)
      return does_not_apply("chip.passive_auth", said("The chip's security object (EF.SOD) was not read.", "reason.chip.not_read"));
    return outcome("chip.passive_auth", CheckStatus::Fail,
                   said(cat("The chip's security object (EF.SOD) is missing or malformed (", r.passive_error, ")."),
                        "reason.chip.passive_auth.no_sod", {{"why", r.passive_error}}),
                   "chip's signed data missing", {}, true);
  }
  const std::string algorithm = r.security_object ? r.security_object->hash_algorithm : "";
  const Said measured = said(algorithm, "measure.chip.hash_algorithm", {{"algorithm", algorithm}});
  if (r.passive->signature == PassiveAuthentication::Signature::valid)
    return outcome("chip.passive_auth", CheckStatus::Pass,
                   said("The document signer's signature over the chip's data (EF.SOD) is valid.", "reason.chip.passive_auth.pass"),
                   {}, measured);
  return outcome("chip.passive_auth", CheckStatus::Fail,
                 said(cat("The signature over the chip's data (EF.SOD) does not verify (", r.passive->signature_detail,
                          "): the data was not signed by the document signer it names."),
                      "reason.chip.passive_auth.fail", {{"why", r.passive->signature_detail}}),
                 "chip's signature invalid", measured, true);
}

Outcome group_hashes(const ChipReport& r) {
  using State = PassiveAuthentication::GroupHash::State;
  if (!r.passive)
    return does_not_apply("chip.dg_hashes", said("The chip's security object (EF.SOD) was not read.", "reason.chip.not_read"));
  const auto changed = group_names(r.passive->hashes, State::differs);
  const auto matching = group_names(r.passive->hashes, State::matches);
  if (!changed.empty())
    return outcome("chip.dg_hashes", CheckStatus::Fail,
                   said(cat("The chip's ", joined(changed), " changed after the issuing state signed ",
                            changed.size() == 1 ? "it" : "them", ": the chip's data was altered."),
                        "reason.chip.dg_hashes.fail", {{"groups", list_value(changed)}}),
                   cat("chip data altered (", joined(changed), ")"), {}, true);
  if (matching.empty())
    return outcome("chip.dg_hashes", CheckStatus::NotRun,
                   said("No data group the security object lists was read.", "reason.chip.dg_hashes.none"));
  return outcome("chip.dg_hashes", CheckStatus::Pass,
                 said(cat("Every data group read (", joined(matching), ") is as the issuing state signed it."),
                      "reason.chip.dg_hashes.pass", {{"groups", list_value(matching)}}));
}

Outcome signer_certificate(const ChipReport& r, const mrz::Document& document) {
  using Certificate = PassiveAuthentication::Certificate;
  if (!r.passive)
    return does_not_apply("chip.ds_certificate", said("The chip's security object (EF.SOD) was not read.", "reason.chip.not_read"));
  const auto& p = *r.passive;
  const std::string country = p.ds_country.empty() ? "?" : p.ds_country;
  const Said measured = said(cat("DS ", country, ", valid until ", p.ds_not_after), "measure.chip.ds_certificate",
                             {{"country", country}, {"not_after", p.ds_not_after}});
  const auto issuer = mrz::alpha2_of_issuer(document.issuing_state.value);
  if (issuer && !p.ds_country.empty() && *issuer != p.ds_country)
    return outcome("chip.ds_certificate", CheckStatus::Fail,
                   said(cat("The chip's data was signed by a document signer of ", p.ds_country, ", but the MRZ names ",
                            document.issuing_state.value, " as the issuing state."),
                        "reason.chip.ds_certificate.wrong_state", {{"country", p.ds_country}, {"issuer", document.issuing_state.value}}),
                   "chip signed by another state", measured, true);
  switch (p.certificate) {
    case Certificate::valid:
      return outcome("chip.ds_certificate", CheckStatus::Pass,
                     said(cat("The document signer certificate (", country, ") is issued by a trusted CSCA and within its validity."),
                          "reason.chip.ds_certificate.pass", {{"country", country}}),
                     {}, measured);
    case Certificate::unknown_csca:
      return outcome("chip.ds_certificate", CheckStatus::Warn,
                     said(cat("No CSCA certificate this post trusts issued the document signer (", country,
                              "): import the state's master list (borderpost trust import) so its chips can be verified."),
                          "reason.chip.ds_certificate.unknown_csca", {{"country", country}}),
                     "issuing state's CSCA not trusted here", measured);
    case Certificate::csca_expired:
      return outcome("chip.ds_certificate", CheckStatus::Warn,
                     said(cat("The CSCA certificate that issued the document signer is outside its validity (", p.certificate_detail, ")."),
                          "reason.chip.ds_certificate.csca_expired", {{"why", p.certificate_detail}}),
                     "CSCA certificate expired", measured);
    case Certificate::ds_expired:
      return outcome("chip.ds_certificate", CheckStatus::Warn,
                     said(cat("The document signer certificate is outside its validity (valid until ", p.ds_not_after, ")."),
                          "reason.chip.ds_certificate.ds_expired", {{"not_after", p.ds_not_after}}),
                     "document signer certificate expired", measured);
    case Certificate::invalid:
      break;
  }
  return outcome("chip.ds_certificate", CheckStatus::Fail,
                 said(cat("The document signer certificate does not verify (", p.certificate_detail, ")."),
                      "reason.chip.ds_certificate.fail", {{"why", p.certificate_detail}}),
                 "document signer certificate invalid", measured, true);
}

// MRZ field names of mrz_differences() as the pages' terms.
std::vector<std::string> field_terms(const std::vector<std::string>& fields) {
  std::vector<std::string> terms;
  for (const auto& field : fields) {
    std::string term = field == "surname" || field == "given_names" ? "name" : field == "format" ? "whole_mrz" : field;
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
  }
  return terms;
}

Outcome mrz_matches(const ChipReport& r, const InspectionFacts& facts) {
  if (r.dg1_mrz.empty())
    return does_not_apply("chip.mrz_matches_optical", said("The chip's MRZ (DG1) was not read.", "reason.chip.mrz_matches_optical.not_read"));
  const auto chip_mrz = mrz::parse(r.dg1_mrz);
  const bool typed = typed_by_hand(facts.source);
  const auto differences = emrtd::mrz_differences(chip_mrz, facts.document);
  if (differences.empty())
    return outcome("chip.mrz_matches_optical", CheckStatus::Pass,
                   typed ? said("The chip's MRZ (DG1) is the same as the one typed.", "reason.chip.mrz_matches_optical.pass_typed")
                         : said("The chip's MRZ (DG1) is the same as the one printed on the page.", "reason.chip.mrz_matches_optical.pass"));
  std::vector<std::string> words;
  for (const auto& field : differences) words.push_back(field == "given_names" ? std::string("given names") : field_words(field));
  return outcome("chip.mrz_matches_optical", CheckStatus::Fail,
                 said(cat("The chip's MRZ (DG1) differs from the ", typed ? "typed" : "printed", " one in the ", joined(words),
                          ": the data page or the chip was altered", typed ? ", or the MRZ mistyped." : "."),
                      typed ? "reason.chip.mrz_matches_optical.fail_typed" : "reason.chip.mrz_matches_optical.fail",
                      {{"fields", list_value(field_terms(differences))}}),
                 cat("chip MRZ differs (", joined(words), ")"), {}, true);
}

// Is the chip the one the issuing state made, not a copy of its data? Chip Authentication (DG14)
// and Active Authentication (DG15) each prove the chip holds a private key its signed data names;
// either passing is enough, either failing is an alert.
Outcome genuine_chip(const ChipReport& r) {
  using Active = ChipReport::ActiveAuth;
  using Chip = ChipReport::ChipAuth;
  if (r.chip_auth == Chip::failed)
    return outcome("chip.active_auth", CheckStatus::Fail,
                   said(cat("Chip Authentication failed (", r.chip_auth_detail, "): the chip may be a copy of a genuine one."),
                        "reason.chip.chip_auth.fail", {{"why", r.chip_auth_detail}}),
                   "chip may be a copy", {}, true);
  if (r.active_auth == Active::invalid)
    return outcome("chip.active_auth", CheckStatus::Fail,
                   said(cat("The chip's Active Authentication signature is wrong (", r.active_auth_detail,
                            "): the chip may be a copy of a genuine one."),
                        "reason.chip.active_auth.fail", {{"why", r.active_auth_detail}}),
                   "chip may be a copy", {}, true);
  std::vector<std::string> proofs, terms;
  if (r.chip_auth == Chip::valid) {
    proofs.emplace_back("Chip Authentication");
    terms.emplace_back("chip_authentication");
  }
  if (r.active_auth == Active::valid) {
    proofs.emplace_back("Active Authentication");
    terms.emplace_back("active_authentication");
  }
  if (!proofs.empty()) {
    const std::string how = joined(proofs);
    return outcome("chip.active_auth", CheckStatus::Pass,
                   said(cat("The chip proved it holds the private key its signed data names (", how, "): it is not a copy."),
                        r.chip_auth == Chip::valid ? "reason.chip.chip_auth.pass" : "reason.chip.active_auth.pass"),
                   {}, said(how, "measure.chip.genuine", {{"how", list_value(terms)}}));
  }
  if (r.active_auth == Active::failed)
    return outcome("chip.active_auth", CheckStatus::Warn,
                   said(cat("Active Authentication could not be completed (", r.active_auth_detail, ")."),
                        "reason.chip.active_auth.failed", {{"why", r.active_auth_detail}}),
                   "chip authentication incomplete");
  if (r.chip_auth == Chip::not_run)
    return outcome("chip.active_auth", CheckStatus::NotRun,
                   said(cat("The chip offers Chip Authentication in a form this station cannot run (", r.chip_auth_detail, ")."),
                        "reason.chip.chip_auth.not_run", {{"why", r.chip_auth_detail}}));
  if (r.outcome != ChipReport::Outcome::read)
    return does_not_apply("chip.active_auth", said("The chip was not read to the end.", "reason.chip.not_read"));
  return does_not_apply("chip.active_auth", said("The chip offers neither Chip nor Active Authentication (both are optional in ICAO Doc 9303).",
                                                 "reason.chip.active_auth.not_offered"));
}

}  // namespace

std::string_view to_string(ChipFacts::State state) {
  switch (state) {
    case ChipFacts::State::no_reader: return "no-reader";
    case ChipFacts::State::no_keys: return "no-keys";
    case ChipFacts::State::reading: return "reading";
    case ChipFacts::State::absent: return "absent";
    case ChipFacts::State::unavailable: return "unavailable";
    case ChipFacts::State::read: return "read";
  }
  return "no-reader";
}

bool chip_expected(const mrz::Document& document, const Rules& rules) {
  const auto& code = document.document_code.value;
  const auto& issuer = document.issuing_state.value;
  if (std::find(rules.chip_not_expected_issuers.begin(), rules.chip_not_expected_issuers.end(), issuer) !=
      rules.chip_not_expected_issuers.end())
    return false;
  return std::any_of(rules.chip_expected_codes.begin(), rules.chip_expected_codes.end(),
                     [&](const std::string& prefix) { return !prefix.empty() && code.starts_with(prefix); });
}

std::vector<CheckResult> chip_checks(const mrz::Document& document, MrzSource source, const ChipFacts& chip, const Rules& rules) {
  InspectionFacts facts;
  facts.document = document;
  facts.source = source;
  facts.chip = chip;
  std::vector<CheckResult> results;
  for (auto& o : checks::chip_outcomes(facts, rules)) results.push_back(std::move(o.result));
  return results;
}

namespace checks {

std::vector<Outcome> chip_outcomes(const InspectionFacts& facts, const Rules& rules) {
  std::vector<Outcome> out;
  const auto& chip = facts.chip;
  out.push_back(access(chip, chip_expected(facts.document, rules)));
  if (chip.state != ChipFacts::State::read || chip.report.outcome == ChipReport::Outcome::access_denied) {
    // chip.access said why; the rest had nothing to look at.
    none_of_the_rest(out, not_read(chip.state));
    return out;
  }
  const auto& r = chip.report;
  out.push_back(passive_signature(r));
  out.push_back(group_hashes(r));
  out.push_back(signer_certificate(r, facts.document));
  out.push_back(mrz_matches(r, facts));
  out.push_back(genuine_chip(r));
  return out;
}

}  // namespace checks

}  // namespace borderpost::station
