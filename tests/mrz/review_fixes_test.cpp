// Rules added after an independent review against Doc 9303: document codes, long-number layout,
// truncation, transliteration gaps, dates, and problems carried through repair.
#include <doctest/doctest.h>

#include "mrz/repair.hpp"
#include "test_support.hpp"

using namespace mrz;
using mrz::test::pad;
using mrz::test::parse_as_of;

namespace {
const std::string kTd1Line2 = "7408122F1204159UTO<<<<<<<<<<<6";
const std::string kTd1Line3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

// A TD1 upper line with the given text after the state, composite recomputed into line 2.
std::string td1(const std::string& upper) {
  std::string line1 = pad(upper, 30);
  std::string line2 = kTd1Line2.substr(0, 29);
  line2 += *check_digit(line1.substr(5) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11));
  return line1 + "\n" + line2 + "\n" + kTd1Line3;
}
}  // namespace

TEST_CASE("a missing document code is an error (Part 4: the first character shall be P)") {
  const auto doc = parse_as_of("<<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
  CHECK_FALSE(doc.valid());
  CHECK(mrz::test::has_problem(doc, "document_code", Severity::Error));
}

TEST_CASE("TD1 codes AI and AC are flagged (Part 5 note k)") {
  const std::string ai = "AI" + td1("I<UTOD231458907").substr(2);
  CHECK(mrz::test::has_problem(parse_as_of(ai), "document_code", Severity::Warning));
  const std::string ac = "AC" + td1("I<UTOD231458907").substr(2);
  CHECK(mrz::test::has_problem(parse_as_of(ac), "document_code", Severity::Warning));
}

TEST_CASE("a long document number's check digit must be followed by a filler") {
  // Continuation runs to position 30 with no filler after the check digit.
  const std::string number = "D23145890AB123456";
  const std::string upper = "I<UTOD23145890<AB123456" + std::string(1, *check_digit(number)) + "ZZZZZZ";
  const auto doc = parse_as_of(td1(upper.substr(0, 30)));
  CHECK_FALSE(doc.valid());
}

TEST_CASE("a long document number fills all nine principal positions") {
  const std::string number = "D2314<<<<AB";
  const std::string upper = "I<UTOD2314<<<<<AB" + std::string(1, *check_digit(number)) + "<";
  const auto doc = parse_as_of(td1(upper));
  CHECK_FALSE(doc.valid());
  CHECK(mrz::test::has_problem(doc, "document_number", Severity::Error));
}

TEST_CASE("a truncated name always ends in a letter, even when dropping an initial frees two places") {
  DocumentFields f = mrz::test::eriksson_fields(Format::TD1, "D23145890");
  f.surname = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  f.given_names = "A B C D";
  const auto out = format(f);
  REQUIRE(out.ok());
  CHECK(out.lines[2].back() != '<');
  CHECK(out.lines[2].find("<<A") != std::string::npos);
}

TEST_CASE("Romanian comma-below letters and no-break spaces are transliterated") {
  CHECK(transliterate_name("\u0218tefan \u021Aurcan") == "STEFAN<TURCAN");
  CHECK(transliterate_name("\u0219tefan") == "STEFAN");
  CHECK(transliterate_name("Anna\u00A0Maria") == "ANNA<MARIA");
}

TEST_CASE("format warns about letters it cannot transliterate instead of dropping them silently") {
  DocumentFields f = mrz::test::eriksson_fields(Format::TD3);
  f.surname = "\u039Fmega";  // Greek capital omicron, not in the Part 3 tables
  const auto out = format(f);
  REQUIRE(out.ok());
  bool warned = false;
  for (const auto& p : out.problems) warned = warned || (p.field == "name" && p.severity == Severity::Warning);
  CHECK(warned);
}

TEST_CASE("format refuses dates that do not exist") {
  DocumentFields f = mrz::test::eriksson_fields(Format::TD3);
  f.birth_date = Date{"", 1975, 2, 30};
  CHECK_FALSE(format(f).ok());
}

TEST_CASE("an unreadable date has no ISO form and is not mistaken for an unknown one") {
  const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO741301" + std::string(1, *check_digit("741301")) +
                               "F1204159ZE184226B<<<<<10");
  CHECK_FALSE(doc.birth_date.readable);
  CHECK(doc.birth_date.iso().empty());
  CHECK_FALSE(doc.valid());
}

TEST_CASE("the century rule holds in any century") {
  const std::chrono::year_month_day in_2080{std::chrono::year{2080}, std::chrono::month{1}, std::chrono::day{1}};
  const std::chrono::year_month_day in_2100{std::chrono::year{2100}, std::chrono::month{6}, std::chrono::day{1}};
  auto td3 = [](const std::string& birth, const std::string& expiry, std::chrono::year_month_day as_of) {
    std::string line2 = "L898902C36UTO" + birth + *check_digit(birth) + "F" + expiry + *check_digit(expiry) +
                        "<<<<<<<<<<<<<<0";
    line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
    return parse(pad("P<UTOERIKSSON<<ANNA", 44) + "\n" + line2, ParseOptions{as_of});
  };
  CHECK(td3("700101", "050101", in_2080).expiry_date.year == 2105);
  CHECK(td3("000101", "050101", in_2100).birth_date.year == 2100);
  CHECK(td3("990101", "050101", in_2100).birth_date.year == 2099);
}

TEST_CASE("a second '<<' inside the name is a warning") {
  const auto doc = parse_as_of(pad("P<UTOERIKSSON<<ANNA<<MARIA", 44) + "\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
  CHECK(mrz::test::has_problem(doc, "name", Severity::Warning));
  const auto fine = parse_as_of(pad("P<UTOARKFREITH", 44) + "\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
  CHECK_FALSE(mrz::test::has_problem(fine, "name", Severity::Warning));
}

TEST_CASE("a short data line is padded with a warning, not silently") {
  const auto doc = parse_as_of("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX7408122F9612109");
  CHECK(mrz::test::has_problem(doc, "line 2", Severity::Warning));
}

TEST_CASE("repair keeps the problems of the lenient input handling") {
  const std::vector<std::string> lines = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10ZZ"};
  const auto r = repair(lines, RepairOptions{ParseOptions{mrz::test::kAsOf}});
  CHECK_FALSE(r.document.valid());
  CHECK(mrz::test::has_problem(r.document, "line 2", Severity::Error));
}
