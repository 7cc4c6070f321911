// Field decoding: document codes, sex, names and the truncation flag.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace mrz;
using mrz::test::pad;

namespace {
std::string td3_with(char sex, const std::string& name_field = "ERIKSSON<<ANNA<MARIA", const std::string& code = "P<") {
  std::string line2 = std::string("L898902C36UTO7408122") + sex + "320415" + *check_digit("320415") + "ZE184226B<<<<<1";
  line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
  return pad(code + "UTO" + name_field, 44) + "\n" + line2;
}
}  // namespace

TEST_CASE("sex is M, F, X or unspecified '<'") {
  CHECK(mrz::test::parse_as_of(td3_with('M')).sex.value == "M");
  CHECK(mrz::test::parse_as_of(td3_with('F')).sex.value == "F");
  CHECK(mrz::test::parse_as_of(td3_with('X')).sex.value == "X");
  const auto unspecified = mrz::test::parse_as_of(td3_with('<'));
  CHECK(unspecified.valid());
  CHECK(unspecified.sex.value.empty());
  const auto wrong = mrz::test::parse_as_of(td3_with('Q'));
  CHECK_FALSE(wrong.valid());
  CHECK(mrz::test::has_problem(wrong, "sex", Severity::Error));
}

TEST_CASE("names: '<<' separates surname from given names, '<' separates components") {
  const auto doc = mrz::test::parse_as_of(td3_with('F', "VAN<DER<MUELLEN<<MARTIN"));
  CHECK(doc.surname.value == "VAN DER MUELLEN");
  CHECK(doc.given_names.value == "MARTIN");
  CHECK(doc.given_names.position == 23);
  CHECK_FALSE(doc.name_possibly_truncated);
}

TEST_CASE("names: a name with only a primary identifier (ARKFREITH, Part 4)") {
  const auto doc = mrz::test::parse_as_of(td3_with('F', "ARKFREITH"));
  CHECK(doc.valid());
  CHECK(doc.surname.value == "ARKFREITH");
  CHECK(doc.given_names.value.empty());
}

TEST_CASE("names: a field ending in a letter is flagged as possibly truncated (Part 4 examples)") {
  const auto doc = mrz::test::parse_as_of(td3_with('F', "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K"));
  CHECK(doc.valid());
  CHECK(doc.name_possibly_truncated);
  CHECK(doc.given_names.value == "CHAYAPA DEJTHAMRONG K");
  CHECK(mrz::test::has_problem(doc, "name", Severity::Warning));
}

TEST_CASE("names: an empty name field is an error, a leading filler a warning") {
  CHECK_FALSE(mrz::test::parse_as_of(td3_with('F', "")).valid());
  const auto leading = mrz::test::parse_as_of(td3_with('F', "<<ANNA"));
  CHECK(leading.valid());
  CHECK(leading.given_names.value == "ANNA");
  CHECK(mrz::test::has_problem(leading, "name", Severity::Warning));
}

TEST_CASE("names: digits are not allowed in the name field") {
  const auto doc = mrz::test::parse_as_of(td3_with('F', "ERIK5SON<<ANNA"));
  CHECK_FALSE(doc.valid());
  const auto* p = mrz::test::find_problem(doc, "name");
  REQUIRE(p != nullptr);
  CHECK(p->line == 1);
  CHECK(p->position == 10);
}

TEST_CASE("document codes: TD3 expects P, TD1/TD2 expect A, C or I") {
  const auto passport = mrz::test::parse_as_of(td3_with('F', "ERIKSSON<<ANNA", "PO"));
  CHECK(passport.valid());
  CHECK(passport.document_code.value == "PO");
  const auto odd = mrz::test::parse_as_of(td3_with('F', "ERIKSSON<<ANNA", "X<"));
  CHECK(odd.valid());
  CHECK(mrz::test::has_problem(odd, "document_code", Severity::Warning));
}

TEST_CASE("optional data and personal number are decoded without fillers") {
  const auto doc = mrz::test::parse_as_of(td3_with('F'));
  CHECK(doc.optional_data.value == "ZE184226B");
  CHECK(doc.optional_data.raw == "ZE184226B<<<<<");
}
