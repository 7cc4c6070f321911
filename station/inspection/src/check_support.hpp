// What the inspection checks share: how one check's result is built, and the few text helpers
// their English sentences use. Internal to the inspection library (its *_checks.cpp files and inspection.cpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspection/inspection.hpp"

namespace borderpost::station::checks {

// A check's result and the few words the headline uses when the check needs attention.
struct Outcome {
  CheckResult result;
  std::string issue;    // "document expired", "traveller is a minor (age 16)"; empty when it passes
  bool applies = true;  // false for a not-run that is no gap (the overstay check at an entry)
};

inline Outcome outcome(std::string id, CheckStatus status, Said reason, std::string issue = {}, Said measurement = {},
                bool alert = false) {
  CheckResult result{std::move(id), status, std::move(reason.english), std::move(measurement.english), alert,
                     std::move(reason.phrase), std::move(measurement.phrase)};
  return {std::move(result), std::move(issue), true};
}

// A check with nothing to look at for this document or direction: not-run, and no gap either.
inline Outcome does_not_apply(std::string id, Said reason) {
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

inline std::string count(long n, const char* singular, const char* plural) {
  return cat(std::to_string(n), " ", n == 1 ? singular : plural);
}

// "the name", "the name and the sex", "the name, the sex and the nationality".
inline std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

// A list value of a phrase: the pages split it at the newlines and join it in their language.
inline std::string list_value(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out.append(out.empty() ? "" : "\n").append(item);
  return out;
}

// MRZ field names ("birth_date") in the inspector's words.
inline std::string field_words(std::string_view field) {
  if (field == "document_number") return "document number";
  if (field == "birth_date") return "date of birth";
  if (field == "expiry_date") return "date of expiry";
  if (field == "optional_data" || field == "optional_data_2") return "optional data";
  if (field == "issuing_state") return "issuing state";
  if (field == "document_code") return "document code";
  if (field == "composite") return "composite check digit";
  return std::string(field);
}

inline int severity(CheckStatus status) {
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

// A complete, real calendar date from the MRZ, or nothing (unknown parts, 31 April, unreadable).
inline std::optional<std::chrono::year_month_day> calendar_date(const mrz::Date& date) {
  if (!date.complete()) return std::nullopt;
  const std::chrono::year_month_day day{std::chrono::year{date.year}, std::chrono::month{static_cast<unsigned>(date.month)},
                                      std::chrono::day{static_cast<unsigned>(date.day)}};
  if (!day.ok()) return std::nullopt;
  return day;
}

inline long days_between(std::chrono::year_month_day from, std::chrono::year_month_day to) {
  return (std::chrono::sys_days{to} - std::chrono::sys_days{from}).count();
}

inline void capitalise(std::string& text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') text.front() = static_cast<char>(text.front() - 'a' + 'A');
}

inline std::string sentence(std::string text) {
  capitalise(text);
  if (!text.empty() && text.back() != '.') text.push_back('.');
  return text;
}

// The families of checks, one file each, every family's checks in their order.
std::vector<Outcome> mrz_outcomes(const InspectionFacts& facts);                              // mrz_checks.cpp
std::vector<Outcome> document_outcomes(const InspectionFacts& facts, const Rules& rules);   // document_checks.cpp
std::vector<Outcome> traveller_outcomes(const InspectionFacts& facts, const Rules& rules);  // traveller_checks.cpp
std::vector<Outcome> watchlist_outcomes(const InspectionFacts& facts, const Rules& rules);  // watchlist_checks.cpp
std::vector<Outcome> movement_outcomes(const InspectionFacts& facts, const Rules& rules);   // movement_checks.cpp
// The chip.* checks, in their order (chip_checks.cpp).
std::vector<Outcome> chip_outcomes(const InspectionFacts& facts, const Rules& rules);
std::vector<Outcome> security_outcomes(const SecurityFacts& facts, const SecurityRules& rules);

}  // namespace borderpost::station::checks
