// The document.* checks: expiry (expired, expires soon) and the document code.
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"
#include "mrz/countries.hpp"

namespace borderpost::station::checks {
namespace {


Said expiry_unknown() { return said("The date of expiry is unknown or incomplete.", "reason.document.expiry_unknown"); }

Outcome document_expired(const InspectionFacts& facts) {
  const auto expiry = calendar_date(facts.document.expiry_date);
  if (!expiry) return outcome("document.expired", CheckStatus::NotRun, expiry_unknown());
  const long days_ago = days_between(*expiry, facts.crossing_date);
  const std::string day = iso_day(*expiry);
  if (days_ago > 0) {
    const std::string days = std::to_string(days_ago);
    return outcome("document.expired", CheckStatus::Fail,
                   said(cat("Expired on ", day, " (", count(days_ago, "day", "days"), " ago)."), "reason.document.expired.fail",
                        {{"expiry", day}, {"days", days}}),
                   "document expired",
                   said(cat("expired ", count(days_ago, "day", "days"), " ago"), "measure.expired_ago", {{"days", days}}));
  }
  // The document is still valid on its date of expiry.
  return outcome("document.expired", CheckStatus::Pass,
                 said(cat("Valid until ", day, "."), "reason.document.expired.pass", {{"expiry", day}}));
}

Outcome document_expires_soon(const InspectionFacts& facts, const Rules& rules) {
  const auto expiry = calendar_date(facts.document.expiry_date);
  if (!expiry) return outcome("document.expires_soon", CheckStatus::NotRun, expiry_unknown());
  const long days_left = days_between(facts.crossing_date, *expiry);
  if (days_left < 0) {
    return does_not_apply("document.expires_soon",
                          said("The document has already expired.", "reason.document.expires_soon.expired"));
  }
  const std::string day = iso_day(*expiry);
  const std::string days = std::to_string(days_left);
  const std::string when = days_left == 0 ? std::string("today") : cat("in ", count(days_left, "day", "days"));
  Said measurement = said(cat("expires ", when), "measure.expires_in", {{"days", days}});
  if (days_left <= rules.expires_soon_days) {
    return outcome("document.expires_soon", CheckStatus::Warn,
                   said(cat("Expires on ", day, ", ", when, "."), "reason.document.expires_soon.warn",
                        {{"expiry", day}, {"days", days}}),
                   cat("document expires ", when), std::move(measurement));
  }
  const std::string limit = std::to_string(rules.expires_soon_days);
  return outcome("document.expires_soon", CheckStatus::Pass,
                 said(cat("Expires on ", day, ", more than ", limit, " days ahead."), "reason.document.expires_soon.pass",
                      {{"expiry", day}, {"limit", limit}}),
                 {}, std::move(measurement));
}

// --- document.code_known ------------------------------------------------------------------------

Outcome document_code_known(const mrz::Document& document) {
  struct Code {
    const char* role;  // in English words
    const char* term;  // the pages' term
    const std::string& code;
  };
  const Code codes[] = {{"issuing state", "issuing_state", document.issuing_state.value},
                        {"nationality", "nationality", document.nationality.value}};
  if (document.issuing_state.value.empty() && document.nationality.value.empty()) {
    return outcome("document.code_known", CheckStatus::NotRun,
                   said("The document shows no issuing state or nationality code.", "reason.document.code_known.none"));
  }
  std::vector<std::string> unknown, known;
  Phrase unknown_phrase, known_phrase;
  for (const auto& [role, term, code] : codes) {
    if (code.empty()) {
      unknown.push_back(cat("the ", role, " code is missing"));
      unknown_phrase.parts.push_back({"reason.document.code_known.missing", {{"role", term}}, {}});
    } else if (const auto country = mrz::find_country(code)) {
      known.push_back(cat(role, " ", code, " (", country->name, ")"));
      known_phrase.parts.push_back(
          {"reason.document.code_known.known", {{"role", term}, {"code", code}, {"name", std::string(country->name)}}, {}});
    } else {
      unknown.push_back(cat("the ", role, " code ", code, " is not an ICAO code"));
      unknown_phrase.parts.push_back({"reason.document.code_known.unknown", {{"role", term}, {"code", code}}, {}});
    }
  }
  if (!unknown.empty()) {
    return outcome("document.code_known", CheckStatus::Warn, {sentence(joined(unknown)), std::move(unknown_phrase)},
                   "unknown country code");
  }
  return outcome("document.code_known", CheckStatus::Pass, {sentence(joined(known)), std::move(known_phrase)});
}

}  // namespace

std::vector<Outcome> document_outcomes(const InspectionFacts& facts, const Rules& rules) {
  return {document_expired(facts), document_expires_soon(facts, rules), document_code_known(facts.document)};
}

}  // namespace borderpost::station::checks
