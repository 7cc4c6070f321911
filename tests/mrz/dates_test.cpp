// Dates: YYMMDD, unknown parts, impossible dates and the century rule.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace mrz;
using mrz::test::pad;

namespace {
// A TD3 with the given birth and expiry fields and correct check digits.
Document td3(const std::string& birth, const std::string& expiry,
             std::chrono::year_month_day as_of = mrz::test::kAsOf) {
  std::string line2 = "L898902C36UTO" + birth + *check_digit(birth) + "F" + expiry + *check_digit(expiry) +
                      "<<<<<<<<<<<<<<0";
  line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
  return parse(pad("P<UTOERIKSSON<<ANNA", 44) + "\n" + line2, ParseOptions{as_of});
}
}  // namespace

TEST_CASE("century rule: a birth date is never after the as-of date") {
  CHECK(td3("740812", "320415").birth_date.year == 1974);
  CHECK(td3("100101", "320415").birth_date.year == 2010);
  CHECK(td3("261123", "320415").birth_date.year == 2026);  // born today
  CHECK(td3("261124", "320415").birth_date.year == 1926);  // tomorrow is impossible: a century ago
  CHECK(td3("270101", "320415").birth_date.year == 1927);
}

TEST_CASE("century rule: expiry dates reach at most 30 years ahead") {
  CHECK(td3("740812", "120415").expiry_date.year == 2012);
  CHECK(td3("740812", "560415").expiry_date.year == 2056);
  CHECK(td3("740812", "570415").expiry_date.year == 1957);
  CHECK(td3("740812", "991231").expiry_date.year == 1999);
}

TEST_CASE("century rule follows the as-of date") {
  const std::chrono::year_month_day in_2090{std::chrono::year{2090}, std::chrono::month{1}, std::chrono::day{1}};
  CHECK(td3("950101", "950101", in_2090).birth_date.year == 1995);
  CHECK(td3("950101", "950101", in_2090).expiry_date.year == 2095);
  CHECK(td3("800101", "150101", in_2090).birth_date.year == 2080);
}

TEST_CASE("unknown parts of the birth date are fillers (Part 3 §4.8)") {
  const auto day_unknown = td3("7408<<", "320415");
  CHECK(day_unknown.valid());
  CHECK(day_unknown.birth_date.iso() == "1974-08-XX");
  CHECK_FALSE(day_unknown.birth_date.complete());

  const auto month_and_day = td3("74<<<<", "320415");
  CHECK(month_and_day.valid());
  CHECK(month_and_day.birth_date.iso() == "1974-XX-XX");

  const auto all_unknown = td3("<<<<<<", "320415");
  CHECK(all_unknown.valid());
  CHECK(all_unknown.birth_date.iso() == "XXXX-XX-XX");
}

TEST_CASE("expiry dates must be complete") {
  const auto doc = td3("740812", "3204<<");
  CHECK_FALSE(doc.valid());
  CHECK(mrz::test::has_problem(doc, "expiry_date", Severity::Error));
}

TEST_CASE("impossible dates are errors with the reason") {
  CHECK_FALSE(td3("741312", "320415").valid());  // month 13
  CHECK_FALSE(td3("740800", "320415").valid());  // day 0
  CHECK_FALSE(td3("740231", "320415").valid());  // 31 February
  CHECK_FALSE(td3("750229", "320415").valid());  // 1975 is not a leap year
  CHECK(td3("760229", "320415").valid());        // 1976 is
  const auto doc = td3("740431", "320415");
  const auto* p = mrz::test::find_problem(doc, "birth_date");
  REQUIRE(p != nullptr);
  CHECK(p->message.find("day 31 does not exist in month 4") != std::string::npos);
}

TEST_CASE("a birth date after the expiry date is a warning") {
  const auto doc = td3("200101", "150101");
  CHECK(doc.valid());
  CHECK(mrz::test::has_problem(doc, "birth_date", Severity::Warning));
}
