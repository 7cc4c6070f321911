// The inspection checks of one document and the verdict the inspector reads first.
#include "station/inspection.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"
#include "mrz/countries.hpp"

namespace borderpost::station {

namespace {

using namespace checks;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// A complete, real calendar date from the MRZ, or nothing (unknown parts, 31 April, unreadable).
std::optional<year_month_day> calendar_date(const mrz::Date& date) {
  if (!date.complete()) return std::nullopt;
  const year_month_day day{std::chrono::year{date.year}, std::chrono::month{static_cast<unsigned>(date.month)},
                           std::chrono::day{static_cast<unsigned>(date.day)}};
  if (!day.ok()) return std::nullopt;
  return day;
}

long days_between(year_month_day from, year_month_day to) { return (sys_days{to} - sys_days{from}).count(); }

void capitalise(std::string& text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') text.front() = static_cast<char>(text.front() - 'a' + 'A');
}

std::string sentence(std::string text) {
  capitalise(text);
  if (!text.empty() && text.back() != '.') text.push_back('.');
  return text;
}

// --- mrz.valid --------------------------------------------------------------------------------

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

// --- document.expired, document.expires_soon -----------------------------------------------------

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

// --- traveller.minor ----------------------------------------------------------------------------

Outcome traveller_minor(const InspectionFacts& facts, const Rules& rules) {
  const auto age = age_on(facts.document.birth_date, facts.crossing_date);
  if (!age) {
    const auto& birth = facts.document.birth_date;
    if (birth.complete()) {
      return outcome("traveller.minor", CheckStatus::NotRun,
                     said("The date of birth is after the crossing date, so the age cannot be worked out.",
                          "reason.traveller.minor.unborn"));
    }
    if (birth.year == 0 && birth.month == 0 && birth.day == 0) {
      return outcome("traveller.minor", CheckStatus::NotRun,
                     said("The date of birth is unknown, so the age cannot be worked out.", "reason.traveller.minor.unknown"));
    }
    return outcome("traveller.minor", CheckStatus::NotRun,
                   said(cat("The date of birth is incomplete (", birth.iso(), "), so the age cannot be worked out."),
                        "reason.traveller.minor.incomplete", {{"birth", birth.iso()}}));
  }
  const std::string years = std::to_string(*age);
  Said measurement = said(cat("age ", years), "measure.age", {{"age", years}});
  if (*age < rules.age_of_majority) {
    return outcome("traveller.minor", CheckStatus::Warn,
                   said(cat("The traveller is ", years,
                            ", a minor: record the accompanying adult or the travel authorisation (child-trafficking "
                            "prevention)."),
                        "reason.traveller.minor.warn", {{"age", years}}),
                   cat("traveller is a minor (age ", years, ")"), std::move(measurement), true);
  }
  return outcome("traveller.minor", CheckStatus::Pass,
                 said(cat("The traveller is an adult (", years, ")."), "reason.traveller.minor.pass", {{"age", years}}), {},
                 std::move(measurement));
}

// --- watchlist.document, watchlist.person -------------------------------------------------------

Outcome watchlist_document(const InspectionFacts& facts) {
  if (facts.document_hits.empty()) {
    return outcome("watchlist.document", CheckStatus::Pass,
                   said("The document is not on the watch-list.", "reason.watchlist.document.pass"));
  }
  std::vector<std::string> reasons;
  for (const auto& hit : facts.document_hits) {
    const std::string reason = hit.reason.empty() ? std::string("no reason given") : hit.reason;
    if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) reasons.push_back(reason);
  }
  const std::string why = joined(reasons);
  const auto entries = static_cast<long>(facts.document_hits.size());
  return outcome("watchlist.document", CheckStatus::Fail,
                 said(cat("The document is on the watch-list: ", why,
                          ". Keep the document and refer the traveller to the second line."),
                      "reason.watchlist.document.fail", {{"reasons", list_value(reasons)}}),
                 cat("document on the watch-list (", why, ")"),
                 said(count(entries, "entry", "entries"), "measure.entries", {{"n", std::to_string(entries)}}), true);
}

Said score(double value) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", value);
  return said(cat("score ", text), "measure.score", {{"score", text}});
}

// The watch-listed person's name and birth date stay out of the result (it is logged); the
// entry's id and reason are enough for the inspector to open the entry.
Outcome watchlist_person(const InspectionFacts& facts, const Rules& rules) {
  if (facts.document.surname.value.empty() && facts.document.given_names.value.empty()) {
    return outcome("watchlist.person", CheckStatus::NotRun,
                   said("The document shows no name to compare with the watch-list.", "reason.watchlist.person.no_name"));
  }
  const sync::WatchlistEntry* best = nullptr;
  double best_score = 0.0;
  for (const auto& person : facts.watchlist_persons) {
    const double s = person_match_score(person, facts.document);
    if (best == nullptr || s > best_score) {
      best = &person;
      best_score = s;
    }
  }
  if (best == nullptr) {
    return outcome("watchlist.person", CheckStatus::Pass,
                   said("No person is on the watch-list.", "reason.watchlist.person.empty_list"));
  }
  const std::string why = best->reason.empty() ? std::string() : cat(" (", best->reason, ")");
  const std::string entry = cat("watch-list entry ", best->id, why);
  // The entry's reason (free text from the central office) follows as a sentence of its own.
  auto match = [&](std::string english, std::string key) {
    Said s = said(std::move(english), std::move(key), {{"entry", best->id}});
    if (!best->reason.empty()) s.phrase.parts.emplace_back("reason.watchlist.person.why", mrz::MessageArgs{{"why", best->reason}});
    return s;
  };
  if (best_score >= rules.person_alert_score) {
    return outcome("watchlist.person", CheckStatus::Fail,
                   match(cat("The traveller matches ", entry, ": refer the traveller to the second line."),
                         "reason.watchlist.person.fail"),
                   cat("traveller matches a watch-listed person", why), score(best_score), true);
  }
  if (best_score >= rules.person_review_score) {
    return outcome("watchlist.person", CheckStatus::Warn,
                   match(cat("Possible match with ", entry, ": compare the traveller with the entry."),
                         "reason.watchlist.person.warn"),
                   "possible watch-list person match", score(best_score), true);
  }
  return outcome("watchlist.person", CheckStatus::Pass,
                 said("No person on the watch-list resembles the traveller.", "reason.watchlist.person.pass"), {},
                 score(best_score));
}

// --- movement.sequence, stay.overstay ----------------------------------------------------------

Outcome movement_sequence(const InspectionFacts& facts) {
  const auto& previous = facts.previous;
  if (facts.direction.empty()) {
    return outcome("movement.sequence", CheckStatus::NotRun,
                   said("The direction (entry or exit) is not chosen yet.", "reason.movement.sequence.no_direction"));
  }
  if (facts.direction != "entry" && facts.direction != "exit") {
    return outcome("movement.sequence", CheckStatus::NotRun,
                   said(cat("The direction '", facts.direction, "' is neither entry nor exit."),
                        "reason.movement.sequence.bad_direction", {{"direction", facts.direction}}));
  }
  const std::string before = previous ? iso_day(previous->local_date) : std::string();
  if (facts.direction == "entry") {
    if (previous && previous->direction == "entry") {
      const std::string text = cat("no exit recorded since the entry on ", before);
      return outcome("movement.sequence", CheckStatus::Warn,
                     said(sentence(text), "reason.movement.sequence.no_exit", {{"date", before}}), text, {}, true);
    }
    if (!previous) {
      return outcome("movement.sequence", CheckStatus::Pass,
                     said("No earlier movement of this document at this post.", "reason.movement.sequence.first"));
    }
    return outcome("movement.sequence", CheckStatus::Pass,
                   said(cat("Left on ", before, "."), "reason.movement.sequence.left", {{"date", before}}));
  }
  // An exit without an entry here is often an entry at another post: worth a look, not an alert.
  if (!previous) {
    return outcome("movement.sequence", CheckStatus::Warn,
                   said("No entry recorded at this post: ask where the traveller entered.",
                        "reason.movement.sequence.exit_first"),
                   "no entry recorded at this post");
  }
  if (previous->direction == "exit") {
    const std::string text = cat("no entry recorded since the exit on ", before);
    return outcome("movement.sequence", CheckStatus::Warn,
                   said(sentence(text), "reason.movement.sequence.no_entry", {{"date", before}}), text, {}, true);
  }
  return outcome("movement.sequence", CheckStatus::Pass,
                 said(cat("Entered on ", before, "."), "reason.movement.sequence.entered", {{"date", before}}));
}

struct Permitted {
  int days;
  std::string group;
};

Permitted permitted_stay(const std::string& nationality, const Rules& rules) {
  for (const auto& stay : rules.stays) {
    if (std::find(stay.nationalities.begin(), stay.nationalities.end(), nationality) != stay.nationalities.end()) {
      return {stay.days, stay.group};
    }
  }
  return {rules.default_stay_days, "default"};
}

// The stay is the number of days from the entry date to the exit date (leaving the day after
// entering is one day), the way the post's rules count it.
Outcome stay_overstay(const InspectionFacts& facts, const Rules& rules) {
  if (facts.direction == "entry")
    return does_not_apply("stay.overstay", said("Applies to exits only.", "reason.stay.overstay.entry"));
  if (facts.direction != "exit") {
    return outcome("stay.overstay", CheckStatus::NotRun,
                   said("Applies to exits only, and the direction is not chosen yet.", "reason.stay.overstay.no_direction"));
  }
  if (!facts.previous || facts.previous->direction != "entry") {
    return outcome("stay.overstay", CheckStatus::NotRun,
                   said("No entry of this document is recorded at this post, so the stay is unknown.",
                        "reason.stay.overstay.no_entry"));
  }
  const std::string entered = iso_day(facts.previous->local_date);
  const long stayed = days_between(facts.previous->local_date, facts.crossing_date);
  const Permitted permitted = permitted_stay(facts.document.nationality.value, rules);
  const std::string allowed = cat(std::to_string(permitted.days), " permitted (", permitted.group, ")");
  mrz::MessageArgs args{{"stayed", std::to_string(stayed)},
                        {"entered", entered},
                        {"permitted", std::to_string(permitted.days)},
                        {"group", permitted.group}};
  Said measurement = said(cat("stayed ", count(stayed, "day", "days"), ", permitted ", std::to_string(permitted.days), " (",
                              permitted.group, ")"),
                          "measure.stay", args);
  if (stayed > permitted.days) {
    const long over = stayed - permitted.days;
    args.emplace_back("over", std::to_string(over));
    return outcome("stay.overstay", CheckStatus::Fail,
                   said(cat("Stayed ", count(stayed, "day", "days"), " since the entry on ", entered, ", ",
                            count(over, "day", "days"), " more than the ", allowed, "."),
                        "reason.stay.overstay.fail", std::move(args)),
                   cat("overstay of ", count(over, "day", "days")), std::move(measurement), true);
  }
  return outcome("stay.overstay", CheckStatus::Pass,
                 said(cat("Stayed ", count(stayed, "day", "days"), " since the entry on ", entered, ", within the ", allowed,
                          "."),
                      "reason.stay.overstay.pass", std::move(args)),
                 {}, std::move(measurement));
}

// --- verdict ------------------------------------------------------------------------------------

// The most serious issues first (fails before warnings, alerts first within each), at most three.
std::string headline(const std::vector<Outcome>& outcomes, CheckStatus overall) {
  if (overall == CheckStatus::Pass) {
    const auto gaps = std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) {
      return o.result.status == CheckStatus::NotRun && o.applies;
    });
    if (gaps == 0) return "Every check passes.";
    return cat("Every check that could run passes; ", count(gaps, "check", "checks"), " could not run.");
  }
  std::vector<const Outcome*> issues;
  for (const auto& o : outcomes) {
    if (o.result.status == CheckStatus::Warn || o.result.status == CheckStatus::Fail) issues.push_back(&o);
  }
  std::stable_sort(issues.begin(), issues.end(), [](const Outcome* a, const Outcome* b) {
    return std::pair(severity(a->result.status), a->result.alert) >
           std::pair(severity(b->result.status), b->result.alert);
  });
  constexpr std::size_t kShown = 3;
  std::vector<std::string> named;
  for (std::size_t i = 0; i < issues.size() && i < kShown; ++i) named.push_back(issues[i]->issue);
  if (issues.size() > kShown)
    named.push_back(count(static_cast<long>(issues.size() - kShown), "more issue", "more issues"));
  return cat(overall == CheckStatus::Fail ? "Attention: " : "Review: ", joined(named), ".");
}

}  // namespace

std::string iso_day(year_month_day day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return text;
}

std::optional<year_month_day> parse_iso_day(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const year_month_day day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!day.ok()) return std::nullopt;
  return day;
}

int alert_count(const std::vector<CheckResult>& checks) {
  return static_cast<int>(std::count_if(checks.begin(), checks.end(), [](const CheckResult& c) { return c.alert; }));
}

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Pass:
      return "pass";
    case CheckStatus::Warn:
      return "warn";
    case CheckStatus::Fail:
      return "fail";
    case CheckStatus::NotRun:
      return "not-run";
  }
  return "not-run";
}

std::string_view to_string(MrzSource source) {
  switch (source) {
    case MrzSource::Optical:
      return "optical";
    case MrzSource::Typed:
      return "typed";
    case MrzSource::VizTyped:
      return "viz-typed";
    case MrzSource::TextReader:
      return "text-reader";
  }
  return "optical";
}

// A person born on 29 February comes of age on 1 March in common years: the birthday is
// reached once the calendar has passed 28 February.
std::optional<int> age_on(const mrz::Date& birth, std::chrono::year_month_day day) {
  if (!birth.complete() || !day.ok()) return std::nullopt;
  const int y = static_cast<int>(day.year());
  const int m = static_cast<int>(static_cast<unsigned>(day.month()));
  const int d = static_cast<int>(static_cast<unsigned>(day.day()));
  if (std::pair(y, std::pair(m, d)) < std::pair(birth.year, std::pair(birth.month, birth.day)))
    return std::nullopt;  // not born yet
  int age = y - birth.year;
  if (std::pair(m, d) < std::pair(birth.month, birth.day)) --age;
  return age;
}

Verdict inspect(const InspectionFacts& facts, const Rules& rules) {
  std::vector<Outcome> outcomes = {
      mrz_valid(facts),
      mrz_legible(facts),
      document_expired(facts),
      document_expires_soon(facts, rules),
      document_code_known(facts.document),
      traveller_minor(facts, rules),
      watchlist_document(facts),
      watchlist_person(facts, rules),
      movement_sequence(facts),
      stay_overstay(facts, rules),
  };
  for (auto& chip : chip_outcomes(facts, rules)) outcomes.push_back(std::move(chip));
  for (auto& security : security_outcomes(facts.security, rules.security)) outcomes.push_back(std::move(security));
  Verdict verdict;
  for (const auto& o : outcomes) {
    verdict.checks.push_back(o.result);
    if (severity(o.result.status) > severity(verdict.overall)) verdict.overall = o.result.status;
    if (o.result.id == "traveller.minor" && o.result.status == CheckStatus::Warn) verdict.minor = true;
  }
  verdict.headline = headline(outcomes, verdict.overall);
  return verdict;
}

}  // namespace borderpost::station
