// YYMMDD dates and the century rule.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "mrz/document.hpp"

namespace mrz::detail {

enum class DateKind { Birth, Expiry };

// Decodes a six-character MRZ date. Returns an empty string on success, otherwise why it is not a
// date. Birth dates may have unknown ("<<") parts; expiry dates may not.
std::string decode_date(std::string_view raw, DateKind kind, std::chrono::year_month_day as_of, Date& out);

// YYMMDD for a Date; unknown parts as "<<".
std::string encode_date(const Date& date);

std::chrono::year_month_day today_utc();

}  // namespace mrz::detail
