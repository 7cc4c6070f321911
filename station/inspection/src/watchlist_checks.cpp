// The watchlist.* checks: the document listed lost or stolen, a listed person resembling the traveller.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station::checks {
namespace {


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

}  // namespace

std::vector<Outcome> watchlist_outcomes(const InspectionFacts& facts, const Rules& rules) {
  return {watchlist_document(facts), watchlist_person(facts, rules)};
}

}  // namespace borderpost::station::checks
