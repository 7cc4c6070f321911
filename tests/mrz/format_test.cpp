// format(): field values to a correct MRZ, reproducing the ICAO specimens.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace mrz;

namespace {
DocumentFields anna(Format format) { return mrz::test::eriksson_fields(format); }

// format() must write `fields` as the specimen prints them (the lines joined with '\n'); what it
// made, for more checks.
Formatted check_formats_as(const DocumentFields& fields, std::string_view printed) {
  auto out = format(fields);
  REQUIRE(out.ok());
  CHECK(out.text() == printed);
  return out;
}
}  // namespace

TEST_CASE("format reproduces the TD3 specimen of Part 4") {
  auto f = anna(Format::TD3);
  f.optional_data = "ZE184226B";
  const auto out = check_formats_as(f, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  CHECK(out.problems.empty());
}

TEST_CASE("format reproduces the TD1 specimen of Part 5") {
  check_formats_as(mrz::test::eriksson_fields(Format::TD1, "D23145890"),
                   "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
}

TEST_CASE("format reproduces the TD2 specimen of Part 6") {
  check_formats_as(mrz::test::eriksson_fields(Format::TD2, "D23145890"),
                   "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6");
}

TEST_CASE("format reproduces the MRV-A and MRV-B specimens of Part 7") {
  auto f = anna(Format::MRVA);
  f.document_number = "L8988901C";
  f.nationality = "XXX";
  f.expiry_date = Date{"", 1996, 12, 10};
  f.optional_data = "6ZE184226B";
  const auto a = format(f);
  REQUIRE(a.ok());
  CHECK(a.lines[0] == "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
  CHECK(a.lines[1] == "L8988901C4XXX7408122F96121096ZE184226B<<<<<<");
  f.format = Format::MRVB;
  f.optional_data.clear();
  const auto b = format(f);
  REQUIRE(b.ok());
  CHECK(b.lines[1] == "L8988901C4XXX7408122F9612109<<<<<<<<");
}

TEST_CASE("format writes unknown birth date parts as fillers") {
  auto f = anna(Format::TD3);
  f.birth_date = Date{"", 1974, 0, 0};
  const auto out = format(f);
  REQUIRE(out.ok());
  CHECK(out.lines[1].substr(13, 7) == std::string("74<<<<") + *check_digit("74<<<<"));
  const auto doc = parse(out.lines, ParseOptions{mrz::test::kAsOf});
  CHECK(doc.valid());
  CHECK(doc.birth_date.iso() == "1974-XX-XX");
}

TEST_CASE("format refuses what cannot be represented, saying which field") {
  auto f = anna(Format::TD3);
  f.sex = 'Q';
  CHECK_FALSE(format(f).ok());
  f = anna(Format::TD3);
  f.issuing_state = "UTOPIA";
  CHECK_FALSE(format(f).ok());
  f = anna(Format::TD3);
  f.expiry_date = Date{"", 2030, 0, 0};
  CHECK_FALSE(format(f).ok());
  f = anna(Format::TD3);
  f.surname = "123";
  const auto out = format(f);
  CHECK_FALSE(out.ok());
  CHECK(out.problems.front().field == "name");
  f = anna(Format::TD3);
  f.optional_data = "THIS IS FAR TOO LONG FOR THE FIELD";
  CHECK_FALSE(format(f).ok());
}

TEST_CASE("format: TD3 empty personal number with a filler check digit") {
  auto f = anna(Format::TD3);
  f.personal_number_check_as_filler = true;
  const auto out = format(f);
  REQUIRE(out.ok());
  CHECK(out.lines[1][42] == '<');
  CHECK(parse(out.lines, ParseOptions{mrz::test::kAsOf}).valid());
}
