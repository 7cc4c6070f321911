// The verdict over the checks of one document (one file per family of checks beside this one),
// and the shared facts: dates, ages, the names of statuses and sources.
#include "inspection/inspection.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station {

namespace {

using namespace checks;
using std::chrono::year_month_day;

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

std::string_view to_string(Direction direction) { return direction == Direction::entry ? "entry" : "exit"; }

std::optional<Direction> direction_named(std::string_view text) {
  if (text == "entry") return Direction::entry;
  if (text == "exit") return Direction::exit;
  return std::nullopt;
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

std::optional<CheckStatus> check_status_named(std::string_view word) {
  for (const auto status : {CheckStatus::Pass, CheckStatus::Warn, CheckStatus::Fail, CheckStatus::NotRun})
    if (to_string(status) == word) return status;
  return std::nullopt;
}

std::optional<MrzSource> mrz_source_named(std::string_view word) {
  for (const auto source : {MrzSource::Optical, MrzSource::Typed, MrzSource::VizTyped, MrzSource::TextReader})
    if (to_string(source) == word) return source;
  return std::nullopt;
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
  // One family of checks a file, in the order the inspector reads them.
  std::vector<Outcome> outcomes;
  for (auto family : {mrz_outcomes(facts), document_outcomes(facts, rules), traveller_outcomes(facts, rules),
                      watchlist_outcomes(facts, rules), movement_outcomes(facts, rules), chip_outcomes(facts, rules),
                      security_outcomes(facts.security, rules.security)})
    for (auto& o : family) outcomes.push_back(std::move(o));
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
