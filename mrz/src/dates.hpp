// YYMMDD dates and the century rule.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "mrz/document.hpp"

namespace mrz::detail {

enum class DateKind { Birth, Expiry };

// Why six characters are not a date: a problem code ("date.no_such_month"), its values and the
// English sentence. An empty code means the date decoded.
struct DateProblem {
  std::string code;
  MessageArgs args;
  std::string message;
  explicit operator bool() const { return !code.empty(); }
};

// Decodes a six-character MRZ date. Birth dates may have unknown ("<<") parts; expiry dates may not.
DateProblem decode_date(std::string_view raw, DateKind kind, std::chrono::year_month_day as_of, Date& out);

// YYMMDD for a Date; unknown parts as "<<".
std::string encode_date(const Date& date);

std::chrono::year_month_day today_utc();

}  // namespace mrz::detail
