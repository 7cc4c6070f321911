// The movement.* and stay.* checks: this crossing after the last one recorded here, and the stay it ends.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station::checks {
namespace {


Outcome movement_sequence(const InspectionFacts& facts) {
  const auto& previous = facts.previous;
  if (!facts.direction) {
    return outcome("movement.sequence", CheckStatus::NotRun,
                   said("The direction (entry or exit) is not chosen yet.", "reason.movement.sequence.no_direction"));
  }
  const std::string before = previous ? iso_day(previous->local_date) : std::string();
  if (facts.direction == Direction::entry) {
    if (previous && previous->direction == Direction::entry) {
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
  if (previous->direction == Direction::exit) {
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
  if (facts.direction == Direction::entry)
    return does_not_apply("stay.overstay", said("Applies to exits only.", "reason.stay.overstay.entry"));
  if (facts.direction != Direction::exit) {
    return outcome("stay.overstay", CheckStatus::NotRun,
                   said("Applies to exits only, and the direction is not chosen yet.", "reason.stay.overstay.no_direction"));
  }
  if (!facts.previous || facts.previous->direction != Direction::entry) {
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

}  // namespace

std::vector<Outcome> movement_outcomes(const InspectionFacts& facts, const Rules& rules) {
  return {movement_sequence(facts), stay_overstay(facts, rules)};
}

}  // namespace borderpost::station::checks
