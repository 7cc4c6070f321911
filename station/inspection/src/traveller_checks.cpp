// The traveller.* checks: a minor travelling.
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station::checks {
namespace {


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

}  // namespace

std::vector<Outcome> traveller_outcomes(const InspectionFacts& facts, const Rules& rules) { return {traveller_minor(facts, rules)}; }

}  // namespace borderpost::station::checks
