// The inspection checks of one document and the verdict the inspector reads first.
#include "station/inspection.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "mrz/countries.hpp"

namespace borderpost::station {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

// A check's result and the few words the headline uses when the check needs attention.
struct Outcome {
  CheckResult result;
  std::string issue;    // "document expired", "traveller is a minor (age 16)"; empty when it passes
  bool applies = true;  // false for a not-run that is no gap (the overstay check at an entry)
};

Outcome outcome(std::string id, CheckStatus status, std::string reason, std::string issue = {},
                std::string measurement = {}, bool alert = false) {
  return {CheckResult{std::move(id), status, std::move(reason), std::move(measurement), alert}, std::move(issue), true};
}

// A check with nothing to look at for this document or direction: not-run, and no gap either.
Outcome does_not_apply(std::string id, std::string reason) {
  Outcome o = outcome(std::move(id), CheckStatus::NotRun, std::move(reason));
  o.applies = false;
  return o;
}

// Joins pieces into one string (GCC 12 warns falsely about "literal" + std::string).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

// A complete, real calendar date from the MRZ, or nothing (unknown parts, 31 April, unreadable).
std::optional<year_month_day> calendar_date(const mrz::Date& date) {
  if (!date.complete()) return std::nullopt;
  const year_month_day day{std::chrono::year{date.year}, std::chrono::month{static_cast<unsigned>(date.month)},
                           std::chrono::day{static_cast<unsigned>(date.day)}};
  if (!day.ok()) return std::nullopt;
  return day;
}

long days_between(year_month_day from, year_month_day to) { return (sys_days{to} - sys_days{from}).count(); }

std::string count(long n, const char* singular, const char* plural) {
  return cat(std::to_string(n), " ", n == 1 ? singular : plural);
}

// "the name", "the name and the sex", "the name, the sex and the nationality".
std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

void capitalise(std::string& text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') text.front() = static_cast<char>(text.front() - 'a' + 'A');
}

std::string sentence(std::string text) {
  capitalise(text);
  if (!text.empty() && text.back() != '.') text.push_back('.');
  return text;
}

// MRZ field names ("birth_date") in the inspector's words.
std::string field_words(std::string_view field) {
  if (field == "document_number") return "document number";
  if (field == "birth_date") return "date of birth";
  if (field == "expiry_date") return "date of expiry";
  if (field == "optional_data" || field == "optional_data_2") return "optional data";
  if (field == "issuing_state") return "issuing state";
  if (field == "document_code") return "document code";
  if (field == "composite") return "composite check digit";
  return std::string(field);
}

// --- mrz.valid --------------------------------------------------------------------------------

std::string check_digit_sentence(const mrz::CheckDigit& check, const mrz::Document& document) {
  const bool unverifiable = std::any_of(document.problems.begin(), document.problems.end(), [&](const mrz::Problem& p) {
    return p.severity == mrz::Severity::Error && p.field == check.field &&
           p.message.find("cannot be verified") != std::string::npos;
  });
  const std::string subject = check.field == "composite" ? std::string("The composite check digit (over the whole MRZ)")
                                                         : cat("The check digit of the ", field_words(check.field));
  if (unverifiable) return cat(subject, " cannot be verified: the data has characters that are not allowed.");
  return cat(subject, " is wrong (printed ", std::string(1, check.printed), ", computed ",
             std::string(1, check.computed), ").");
}

Outcome mrz_valid(const InspectionFacts& facts) {
  const auto& document = facts.document;
  if (!document.usable()) {
    if (facts.source == MrzSource::VizTyped) {
      return outcome(
          "mrz.valid", CheckStatus::NotRun,
          "The details were typed from the visual zone: there is no MRZ whose check digits could be checked.");
    }
    return outcome("mrz.valid", CheckStatus::NotRun,
                   "No machine-readable zone was recognised, so its check digits could not be checked.");
  }
  const bool typed = facts.source != MrzSource::Optical;
  if (document.valid()) {
    return outcome("mrz.valid", CheckStatus::Pass,
                   typed ? "Every check digit of the typed MRZ is right." : "Every check digit of the MRZ is right.");
  }
  std::vector<std::string> findings;
  for (const auto& check : document.checks) {
    if (!check.ok) findings.push_back(check_digit_sentence(check, document));
  }
  // Errors that are not about a check digit (an impossible date, a character not allowed).
  for (const auto& problem : document.problems) {
    if (problem.severity == mrz::Severity::Error && problem.message.find("check digit") == std::string::npos) {
      findings.push_back(sentence(problem.message));
    }
  }
  std::string reason;
  if (typed) reason = "The MRZ was typed by hand, so a typing mistake is likely: compare it with the page. ";
  for (const auto& finding : findings) reason.append(finding).append(" ");
  if (!reason.empty()) reason.pop_back();
  return outcome("mrz.valid", CheckStatus::Fail, std::move(reason),
                 typed ? "typed MRZ fails its checks" : "MRZ fails its checks",
                 count(static_cast<long>(findings.size()), "problem", "problems"));
}

// --- mrz.legible ------------------------------------------------------------------------------

std::string uncertain_field_words(std::string_view field) {
  return cat("the ", field == "composite" ? std::string("whole MRZ") : field_words(field));
}

Outcome mrz_legible(const InspectionFacts& facts) {
  if (facts.source == MrzSource::Typed)
    return does_not_apply("mrz.legible", "The MRZ was typed, not read by the scanner.");
  if (facts.source == MrzSource::VizTyped) {
    return does_not_apply("mrz.legible", "The details were typed from the visual zone, not read by the scanner.");
  }
  if (!facts.document.usable())
    return outcome("mrz.legible", CheckStatus::NotRun, "The scanner recognised no MRZ on the page.");
  if (!facts.optical_needs_review)
    return outcome("mrz.legible", CheckStatus::Pass, "The scanner was sure of every character.");
  if (facts.uncertain_fields.empty()) {
    return outcome("mrz.legible", CheckStatus::Warn,
                   "The scanner was unsure of some characters: compare the MRZ with the data page.",
                   "compare the MRZ with the page");
  }
  std::vector<std::string> fields;
  for (const auto& field : facts.uncertain_fields) fields.push_back(uncertain_field_words(field));
  const std::string which = joined(fields);
  std::string measurement = "uncertain: ";
  for (std::size_t i = 0; i < facts.uncertain_fields.size(); ++i) {
    measurement.append(i > 0 ? ", " : "").append(facts.uncertain_fields[i]);
  }
  return outcome("mrz.legible", CheckStatus::Warn,
                 cat("The scanner was unsure of ", which, ": confirm ", which, " against the data page."),
                 cat("confirm ", which, " against the page"), std::move(measurement));
}

// --- document.expired, document.expires_soon -----------------------------------------------------

Outcome document_expired(const InspectionFacts& facts) {
  const auto expiry = calendar_date(facts.document.expiry_date);
  if (!expiry) return outcome("document.expired", CheckStatus::NotRun, "The date of expiry is unknown or incomplete.");
  const long days_ago = days_between(*expiry, facts.crossing_date);
  if (days_ago > 0) {
    return outcome("document.expired", CheckStatus::Fail,
                   cat("Expired on ", iso_day(*expiry), " (", count(days_ago, "day", "days"), " ago)."), "document expired",
                   cat("expired ", count(days_ago, "day", "days"), " ago"));
  }
  // The document is still valid on its date of expiry.
  return outcome("document.expired", CheckStatus::Pass, cat("Valid until ", iso_day(*expiry), "."));
}

Outcome document_expires_soon(const InspectionFacts& facts, const Rules& rules) {
  const auto expiry = calendar_date(facts.document.expiry_date);
  if (!expiry)
    return outcome("document.expires_soon", CheckStatus::NotRun, "The date of expiry is unknown or incomplete.");
  const long days_left = days_between(facts.crossing_date, *expiry);
  if (days_left < 0) return does_not_apply("document.expires_soon", "The document has already expired.");
  const std::string when = days_left == 0 ? std::string("today") : cat("in ", count(days_left, "day", "days"));
  const std::string measurement = cat("expires ", when);
  if (days_left <= rules.expires_soon_days) {
    return outcome("document.expires_soon", CheckStatus::Warn, cat("Expires on ", iso_day(*expiry), ", ", when, "."),
                   cat("document expires ", when), measurement);
  }
  return outcome(
      "document.expires_soon", CheckStatus::Pass,
      cat("Expires on ", iso_day(*expiry), ", more than ", std::to_string(rules.expires_soon_days), " days ahead."), {},
      measurement);
}

// --- document.code_known ------------------------------------------------------------------------

Outcome document_code_known(const mrz::Document& document) {
  struct Code {
    const char* role;
    const std::string& code;
  };
  const Code codes[] = {{"issuing state", document.issuing_state.value}, {"nationality", document.nationality.value}};
  if (document.issuing_state.value.empty() && document.nationality.value.empty()) {
    return outcome("document.code_known", CheckStatus::NotRun,
                   "The document shows no issuing state or nationality code.");
  }
  std::vector<std::string> unknown;
  std::vector<std::string> known;
  for (const auto& [role, code] : codes) {
    if (code.empty()) {
      unknown.push_back(cat("the ", role, " code is missing"));
    } else if (const auto country = mrz::find_country(code)) {
      known.push_back(cat(role, " ", code, " (", country->name, ")"));
    } else {
      unknown.push_back(cat("the ", role, " code ", code, " is not an ICAO code"));
    }
  }
  if (!unknown.empty()) {
    return outcome("document.code_known", CheckStatus::Warn, sentence(joined(unknown)), "unknown country code");
  }
  return outcome("document.code_known", CheckStatus::Pass, sentence(joined(known)));
}

// --- traveller.minor ----------------------------------------------------------------------------

Outcome traveller_minor(const InspectionFacts& facts, const Rules& rules) {
  const auto age = age_on(facts.document.birth_date, facts.crossing_date);
  if (!age) {
    const auto& birth = facts.document.birth_date;
    if (birth.complete()) {
      return outcome("traveller.minor", CheckStatus::NotRun,
                     "The date of birth is after the crossing date, so the age cannot be worked out.");
    }
    if (birth.year == 0 && birth.month == 0 && birth.day == 0) {
      return outcome("traveller.minor", CheckStatus::NotRun,
                     "The date of birth is unknown, so the age cannot be worked out.");
    }
    return outcome("traveller.minor", CheckStatus::NotRun,
                   cat("The date of birth is incomplete (", birth.iso(), "), so the age cannot be worked out."));
  }
  const std::string years = std::to_string(*age);
  if (*age < rules.age_of_majority) {
    return outcome("traveller.minor", CheckStatus::Warn,
                   cat("The traveller is ", years,
                       ", a minor: record the accompanying adult or the travel authorisation (child-trafficking "
                       "prevention)."),
                   cat("traveller is a minor (age ", years, ")"), cat("age ", years), true);
  }
  return outcome("traveller.minor", CheckStatus::Pass, cat("The traveller is an adult (", years, ")."), {},
                 cat("age ", years));
}

// --- watchlist.document, watchlist.person -------------------------------------------------------

Outcome watchlist_document(const InspectionFacts& facts) {
  if (facts.document_hits.empty())
    return outcome("watchlist.document", CheckStatus::Pass, "The document is not on the watch-list.");
  std::vector<std::string> reasons;
  for (const auto& hit : facts.document_hits) {
    const std::string reason = hit.reason.empty() ? std::string("no reason given") : hit.reason;
    if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) reasons.push_back(reason);
  }
  const std::string why = joined(reasons);
  return outcome("watchlist.document", CheckStatus::Fail,
                 cat("The document is on the watch-list: ", why,
                     ". Keep the document and refer the traveller to the second line."),
                 cat("document on the watch-list (", why, ")"),
                 count(static_cast<long>(facts.document_hits.size()), "entry", "entries"), true);
}

std::string score_text(double score) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", score);
  return cat("score ", text);
}

// The watch-listed person's name and birth date stay out of the result (it is logged); the
// entry's id and reason are enough for the inspector to open the entry.
Outcome watchlist_person(const InspectionFacts& facts, const Rules& rules) {
  if (facts.document.surname.value.empty() && facts.document.given_names.value.empty()) {
    return outcome("watchlist.person", CheckStatus::NotRun,
                   "The document shows no name to compare with the watch-list.");
  }
  const sync::WatchlistEntry* best = nullptr;
  double best_score = 0.0;
  for (const auto& person : facts.watchlist_persons) {
    const double score = person_match_score(person, facts.document);
    if (best == nullptr || score > best_score) {
      best = &person;
      best_score = score;
    }
  }
  if (best == nullptr) return outcome("watchlist.person", CheckStatus::Pass, "No person is on the watch-list.");
  const std::string why = best->reason.empty() ? std::string() : cat(" (", best->reason, ")");
  const std::string entry = cat("watch-list entry ", best->id, why);
  if (best_score >= rules.person_alert_score) {
    return outcome("watchlist.person", CheckStatus::Fail,
                   cat("The traveller matches ", entry, ": refer the traveller to the second line."),
                   cat("traveller matches a watch-listed person", why), score_text(best_score), true);
  }
  if (best_score >= rules.person_review_score) {
    return outcome("watchlist.person", CheckStatus::Warn,
                   cat("Possible match with ", entry, ": compare the traveller with the entry."),
                   "possible watch-list person match", score_text(best_score), true);
  }
  return outcome("watchlist.person", CheckStatus::Pass, "No person on the watch-list resembles the traveller.", {},
                 score_text(best_score));
}

// --- movement.sequence, stay.overstay ----------------------------------------------------------

Outcome movement_sequence(const InspectionFacts& facts) {
  const auto& previous = facts.previous;
  if (facts.direction.empty())
    return outcome("movement.sequence", CheckStatus::NotRun, "The direction (entry or exit) is not chosen yet.");
  if (facts.direction != "entry" && facts.direction != "exit") {
    return outcome("movement.sequence", CheckStatus::NotRun,
                   cat("The direction '", facts.direction, "' is neither entry nor exit."));
  }
  if (facts.direction == "entry") {
    if (previous && previous->direction == "entry") {
      const std::string text = cat("no exit recorded since the entry on ", iso_day(previous->local_date));
      return outcome("movement.sequence", CheckStatus::Warn, sentence(text), text, {}, true);
    }
    if (!previous)
      return outcome("movement.sequence", CheckStatus::Pass, "No earlier movement of this document at this post.");
    return outcome("movement.sequence", CheckStatus::Pass, cat("Left on ", iso_day(previous->local_date), "."));
  }
  // An exit without an entry here is often an entry at another post: worth a look, not an alert.
  if (!previous) {
    return outcome("movement.sequence", CheckStatus::Warn,
                   "No entry recorded at this post: ask where the traveller entered.",
                   "no entry recorded at this post");
  }
  if (previous->direction == "exit") {
    const std::string text = cat("no entry recorded since the exit on ", iso_day(previous->local_date));
    return outcome("movement.sequence", CheckStatus::Warn, sentence(text), text, {}, true);
  }
  return outcome("movement.sequence", CheckStatus::Pass, cat("Entered on ", iso_day(previous->local_date), "."));
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
  if (facts.direction == "entry") return does_not_apply("stay.overstay", "Applies to exits only.");
  if (facts.direction != "exit")
    return outcome("stay.overstay", CheckStatus::NotRun, "Applies to exits only, and the direction is not chosen yet.");
  if (!facts.previous || facts.previous->direction != "entry") {
    return outcome("stay.overstay", CheckStatus::NotRun,
                   "No entry of this document is recorded at this post, so the stay is unknown.");
  }
  const auto entered = facts.previous->local_date;
  const long stayed = days_between(entered, facts.crossing_date);
  const Permitted permitted = permitted_stay(facts.document.nationality.value, rules);
  const std::string allowed = cat(std::to_string(permitted.days), " permitted (", permitted.group, ")");
  const std::string measurement = cat("stayed ", count(stayed, "day", "days"), ", permitted ",
                                      std::to_string(permitted.days), " (", permitted.group, ")");
  if (stayed > permitted.days) {
    const long over = stayed - permitted.days;
    return outcome("stay.overstay", CheckStatus::Fail,
                   cat("Stayed ", count(stayed, "day", "days"), " since the entry on ", iso_day(entered), ", ",
                       count(over, "day", "days"), " more than the ", allowed, "."),
                   cat("overstay of ", count(over, "day", "days")), measurement, true);
  }
  return outcome(
      "stay.overstay", CheckStatus::Pass,
      cat("Stayed ", count(stayed, "day", "days"), " since the entry on ", iso_day(entered), ", within the ", allowed, "."),
      {}, measurement);
}

// --- verdict ------------------------------------------------------------------------------------

int severity(CheckStatus status) {
  switch (status) {
    case CheckStatus::NotRun:
      return -1;
    case CheckStatus::Pass:
      return 0;
    case CheckStatus::Warn:
      return 1;
    case CheckStatus::Fail:
      return 2;
  }
  return -1;
}

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
  const std::vector<Outcome> outcomes = {
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
