// The mrz.* checks: the MRZ's check digits and structure (mrz.valid), and how surely it was read (mrz.legible).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station::checks {
namespace {


std::string check_digit_sentence(const mrz::CheckDigit& check, const mrz::Document& document) {
  const bool unverifiable = std::any_of(document.problems.begin(), document.problems.end(), [&](const mrz::Problem& p) {
    return p.field == check.field && p.code == "check_digit.unverifiable";
  });
  const std::string subject = check.field == "composite" ? std::string("The composite check digit (over the whole MRZ)")
                                                         : cat("The check digit of the ", field_words(check.field));
  if (unverifiable) return cat(subject, " cannot be verified: the data has characters that are not allowed.");
  return cat(subject, " is wrong (printed ", std::string(1, check.printed), ", computed ",
             std::string(1, check.computed), ").");
}

bool about_check_digit(const mrz::Problem& problem) { return problem.code.starts_with("check_digit."); }

Outcome mrz_valid(const InspectionFacts& facts) {
  const auto& document = facts.document;
  if (!document.usable()) {
    if (facts.source == MrzSource::VizTyped) {
      return outcome(
          "mrz.valid", CheckStatus::NotRun,
          said("The details were typed from the visual zone: there is no MRZ whose check digits could be checked.",
               "reason.mrz.valid.viz_typed"));
    }
    return outcome("mrz.valid", CheckStatus::NotRun,
                   said("No machine-readable zone was recognised, so its check digits could not be checked.",
                        "reason.mrz.valid.none"));
  }
  const bool typed = typed_by_hand(facts.source);
  if (document.valid()) {
    return outcome("mrz.valid", CheckStatus::Pass,
                   typed ? said("Every check digit of the typed MRZ is right.", "reason.mrz.valid.pass_typed")
                         : said("Every check digit of the MRZ is right.", "reason.mrz.valid.pass"));
  }
  // Check digits first, then the errors that are not about one (an impossible date, a character
  // not allowed).
  std::vector<std::string> findings;
  Said reason;
  reason.phrase.key = typed ? "reason.mrz.valid.typed_fail" : "";
  for (const auto& check : document.checks) {
    if (!check.ok) findings.push_back(check_digit_sentence(check, document));
  }
  for (const auto& problem : document.problems) {
    if (problem.severity == mrz::Severity::Error && about_check_digit(problem)) reason.phrase.parts.push_back(problem_phrase(problem));
  }
  for (const auto& problem : document.problems) {
    if (problem.severity == mrz::Severity::Error && !about_check_digit(problem)) {
      findings.push_back(sentence(problem.message));
      reason.phrase.parts.push_back(problem_phrase(problem));
    }
  }
  if (typed) reason.english = "The MRZ was typed by hand, so a typing mistake is likely: compare it with the page. ";
  for (const auto& finding : findings) reason.english.append(finding).append(" ");
  if (!reason.english.empty()) reason.english.pop_back();
  const auto problems = static_cast<long>(findings.size());
  return outcome("mrz.valid", CheckStatus::Fail, std::move(reason), typed ? "typed MRZ fails its checks" : "MRZ fails its checks",
                 said(count(problems, "problem", "problems"), "measure.problems", {{"n", std::to_string(problems)}}));
}

// --- mrz.legible ------------------------------------------------------------------------------

std::string uncertain_field_words(std::string_view field) {
  return cat("the ", field == "composite" ? std::string("whole MRZ") : field_words(field));
}

Outcome mrz_legible(const InspectionFacts& facts) {
  if (facts.source == MrzSource::Typed)
    return does_not_apply("mrz.legible", said("The MRZ was typed, not read by the scanner.", "reason.mrz.legible.typed"));
  if (facts.source == MrzSource::VizTyped) {
    return does_not_apply("mrz.legible", said("The details were typed from the visual zone, not read by the scanner.",
                                              "reason.mrz.legible.viz_typed"));
  }
  if (facts.source == MrzSource::TextReader) {
    return does_not_apply("mrz.legible", said("The MRZ reader sent the MRZ as text: it gives no certainty per character.",
                                              "reason.mrz.legible.text_reader"));
  }
  if (!facts.document.usable()) {
    return outcome("mrz.legible", CheckStatus::NotRun,
                   said("The scanner recognised no MRZ on the page.", "reason.mrz.legible.none"));
  }
  if (!facts.optical_needs_review) {
    return outcome("mrz.legible", CheckStatus::Pass,
                   said("The scanner was sure of every character.", "reason.mrz.legible.pass"));
  }
  if (facts.uncertain_fields.empty()) {
    return outcome("mrz.legible", CheckStatus::Warn,
                   said("The scanner was unsure of some characters: compare the MRZ with the data page.",
                        "reason.mrz.legible.unsure"),
                   "compare the MRZ with the page");
  }
  std::vector<std::string> fields;
  for (const auto& field : facts.uncertain_fields) fields.push_back(uncertain_field_words(field));
  const std::string which = joined(fields);
  std::string measurement = "uncertain: ";
  for (std::size_t i = 0; i < facts.uncertain_fields.size(); ++i) {
    measurement.append(i > 0 ? ", " : "").append(facts.uncertain_fields[i]);
  }
  // Terms of the pages' messages; an uncertain composite check digit puts the whole MRZ in doubt.
  std::vector<std::string> terms;
  for (const auto& field : facts.uncertain_fields) terms.push_back(field == "composite" ? "whole_mrz" : field);
  const std::string field_list = list_value(terms);
  return outcome("mrz.legible", CheckStatus::Warn,
                 said(cat("The scanner was unsure of ", which, ": confirm ", which, " against the data page."),
                      "reason.mrz.legible.unsure_fields", {{"fields", field_list}}),
                 cat("confirm ", which, " against the page"),
                 said(std::move(measurement), "measure.uncertain", {{"fields", field_list}}));
}

}  // namespace

std::vector<Outcome> mrz_outcomes(const InspectionFacts& facts) { return {mrz_valid(facts), mrz_legible(facts)}; }

}  // namespace borderpost::station::checks
