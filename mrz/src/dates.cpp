// Date decoding for the MRZ. Century rule: a birth date is the latest date with those two year
// digits not after the as-of date; an expiry date is the latest one at most kExpiryYearsAhead
// years after it.
#include "dates.hpp"


#include "mrz/mrz.hpp"

namespace mrz {

std::string Date::iso() const {
  if (!readable) return {};
  std::string out = "XXXX-XX-XX";
  auto put = [&](std::size_t offset, int value, int digits) {
    if (value == 0) return;  // unknown part stays "X"
    for (int i = digits - 1; i >= 0; --i, value /= 10) out[offset + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  return out;
}

namespace detail {
namespace {

// -1: unknown ("<<"), -2: not a number, else 0..99.
int two_digits(std::string_view pair) {
  if (pair[0] == '<' && pair[1] == '<') return -1;
  if (pair[0] < '0' || pair[0] > '9' || pair[1] < '0' || pair[1] > '9') return -2;
  return (pair[0] - '0') * 10 + (pair[1] - '0');
}

int days_in_month(int year, int month) {
  using namespace std::chrono;
  if (month == 2 && year == 0) return 29;  // year unknown: allow a leap day
  return static_cast<int>(static_cast<unsigned>(
      year_month_day_last{std::chrono::year{year == 0 ? 2000 : year}, month_day_last{std::chrono::month{static_cast<unsigned>(month)}}}
          .day()));
}

}  // namespace

std::chrono::year_month_day today_utc() {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

namespace {

DateProblem decode_date_parts(std::string_view raw, DateKind kind, std::chrono::year_month_day as_of, Date& out) {
  if (raw.size() != 6) return {"date.length", {}, "a date has six characters (YYMMDD)"};
  const int yy = two_digits(raw.substr(0, 2));
  const int mm = two_digits(raw.substr(2, 2));
  const int dd = two_digits(raw.substr(4, 2));
  if (yy == -2 || mm == -2 || dd == -2) return {"date.not_digits", {}, "a date is written YYMMDD with digits only"};
  if (kind == DateKind::Expiry && (yy < 0 || mm < 0 || dd < 0))
    return {"date.expiry_incomplete", {}, "the expiry date must be complete"};
  if (mm == 0 || mm > 12) {
    const std::string month(raw.substr(2, 2));
    return {"date.no_such_month", {{"month", month}}, "month " + month + " does not exist"};
  }

  const int as_of_year = static_cast<int>(as_of.year());
  if (yy >= 0) {
    // Start in the as-of date's century, then step back (or, for expiry, forward) as the rule says.
    int year = as_of_year - as_of_year % 100 + yy;
    if (kind == DateKind::Birth) {
      // Compare as far as the date is known; an unknown month or day counts as early in the year.
      const int month = mm > 0 ? mm : 1;
      const int day = dd > 0 ? dd : 1;
      const auto candidate = std::chrono::year{year} / month / std::chrono::day{static_cast<unsigned>(day)};
      if (year > as_of_year || (candidate.ok() && std::chrono::sys_days{candidate} > std::chrono::sys_days{as_of})) {
        year -= 100;
      }
    } else {
      if (year > as_of_year + kExpiryYearsAhead) year -= 100;
      if (year <= as_of_year + kExpiryYearsAhead - 100) year += 100;
    }
    out.year = year;
  }
  if (mm > 0) out.month = mm;
  if (dd >= 0) {
    const std::string day = std::to_string(dd);
    if (dd == 0) return {"date.no_such_day", {{"day", "00"}}, "day 00 does not exist"};
    if (mm > 0 && dd > days_in_month(out.year, mm)) {
      const std::string month = std::to_string(mm);
      const std::string year = out.year ? std::to_string(out.year) : std::string();
      return {"date.no_such_day_in_month", {{"day", day}, {"month", month}, {"year", year}},
              "day " + day + " does not exist in month " + month + (year.empty() ? std::string() : " of " + year)};
    }
    if (dd > 31) return {"date.no_such_day", {{"day", day}}, "day " + day + " does not exist"};
    out.day = dd;
  }
  return {};
}

}  // namespace

DateProblem decode_date(std::string_view raw, DateKind kind, std::chrono::year_month_day as_of, Date& out) {
  out = Date{};
  out.raw = std::string(raw);
  auto why = decode_date_parts(raw, kind, as_of, out);
  if (why) {
    out.year = out.month = out.day = 0;
    out.readable = false;
  }
  return why;
}

std::string encode_date(const Date& date) {
  std::string out(6, '<');
  auto put = [&](std::size_t offset, int value) {
    if (value == 0) return;  // unknown part stays "<<"
    out[offset] = static_cast<char>('0' + (value / 10) % 10);
    out[offset + 1] = static_cast<char>('0' + value % 10);
  };
  if (date.year != 0) {
    out[0] = static_cast<char>('0' + (date.year / 10) % 10);
    out[1] = static_cast<char>('0' + date.year % 10);
  }
  put(2, date.month);
  put(4, date.day);
  return out;
}

}  // namespace detail
}  // namespace mrz
