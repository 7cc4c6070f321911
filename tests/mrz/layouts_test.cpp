// Layout-specific rules: long document numbers (TD1/TD2), the TD3 personal number check digit,
// composite ranges.
#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "test_support.hpp"

using namespace mrz;
using mrz::test::pad;
using mrz::test::parse_as_of;

namespace {
// The specimen holder's card or passport numbered `number`, valid until 2032: the long numbers are
// what these cases are about.
DocumentFields eriksson(Format format, std::string number) {
  return mrz::test::eriksson_fields(format, std::move(number), Date{"", 2032, 4, 15});
}
}  // namespace

TEST_CASE("TD1 long document number continues in the optional data (Part 5 note j)") {
  // Number D23145890734 (12 characters): 9 principal, '<', then "734", check digit, '<'.
  const std::string number = "D23145890734";
  const char check = *check_digit(number);
  const std::string line1 = pad(std::string("I<UTOD23145890<734") + check + "<", 30);
  const std::string line2_body = "7408122F3204153UTO<<<<<<<<<<<";
  const std::string composite_data = line1.substr(5) + line2_body.substr(0, 7) + line2_body.substr(8, 7) + line2_body.substr(18, 11);
  const std::string line2 = line2_body + *check_digit(composite_data);
  const auto doc = parse_as_of(line1 + "\n" + line2 + "\n" + pad("ERIKSSON<<ANNA<MARIA", 30));
  CHECK(doc.valid());
  CHECK(doc.long_document_number);
  CHECK(doc.document_number.value == "D23145890734");
  CHECK(doc.optional_data.value.empty());
  const auto* c = doc.check("document_number");
  REQUIRE(c != nullptr);
  CHECK(c->ok);
  CHECK(c->line == 1);
  CHECK(c->position == 19);  // right after the last digit of the number
}

TEST_CASE("TD1 long document number with further optional data after it") {
  auto fields = eriksson(Format::TD1, "D23145890734");
  fields.optional_data = "XY12";
  const auto mrz_text = format(fields);
  REQUIRE(mrz_text.ok());
  CHECK(mrz_text.lines[0].substr(14, 6) == std::string("<734") + *check_digit("D23145890734") + "<");
  const auto doc = parse_as_of(mrz_text.text());
  CHECK(doc.valid());
  CHECK(doc.document_number.value == "D23145890734");
  CHECK(doc.optional_data.value == "XY12");
}

TEST_CASE("TD1 long document number with a wrong check digit fails the document number check") {
  auto lines = format(eriksson(Format::TD1, "D23145890734")).lines;
  REQUIRE(lines.size() == 3);
  char& check = lines[0][18];
  check = check == '9' ? '0' : static_cast<char>(check + 1);
  const auto doc = parse(lines, ParseOptions{mrz::test::kAsOf});
  CHECK_FALSE(doc.valid());
  CHECK_FALSE(doc.check("document_number")->ok);
  CHECK_FALSE(doc.check("composite")->ok);
}

TEST_CASE("TD2 long document number continues in the optional data (Part 6 note j)") {
  const auto mrz_text = format(eriksson(Format::TD2, "D2314589077"));
  REQUIRE(mrz_text.ok());
  CHECK(mrz_text.lines[1][9] == '<');
  const auto doc = parse_as_of(mrz_text.text());
  CHECK(doc.valid());
  CHECK(doc.long_document_number);
  CHECK(doc.document_number.value == "D2314589077");
}

TEST_CASE("a '<' check digit without a continuation is an error, not a long number") {
  const auto doc = parse_as_of(std::string("I<UTOD23145890<<<<<<<<<<<<<<<<\n") + "7408122F1204159UTO<<<<<<<<<<<6\n" +
                               pad("ERIKSSON<<ANNA<MARIA", 30));
  CHECK_FALSE(doc.valid());
  CHECK_FALSE(doc.long_document_number);
  CHECK_FALSE(doc.check("document_number")->ok);
}

TEST_CASE("TD3 and visas hold at most nine characters of document number") {
  const auto out = format(eriksson(Format::TD3, "D2314589077"));
  CHECK_FALSE(out.ok());
  REQUIRE_FALSE(out.problems.empty());
  CHECK(out.problems.front().field == "document_number");
}

TEST_CASE("TD3 empty personal number: its check digit may be '<' or '0' (Part 4 §4.2.2.2)") {
  const std::string line1 = pad("P<UTOERIKSSON<<ANNA<MARIA", 44);
  // Composite over 1-10, 14-20, 22-43 with the filler counting as 0 either way.
  for (const char personal_check : {'<', '0'}) {
    std::string line2 = std::string("L898902C36UTO7408122F3204153") + "<<<<<<<<<<<<<<" + personal_check;
    line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
    const auto doc = parse_as_of(line1 + "\n" + line2);
    CHECK_MESSAGE(doc.valid(), personal_check);
    CHECK(doc.check("optional_data")->ok);
  }
}

TEST_CASE("TD3 personal number present: a '<' check digit fails") {
  const std::string line1 = pad("P<UTOERIKSSON<<ANNA<MARIA", 44);
  std::string line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<<";
  line2 += '<';
  line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
  const auto doc = parse_as_of(line1 + "\n" + line2);
  CHECK_FALSE(doc.valid());
  CHECK_FALSE(doc.check("optional_data")->ok);
}

TEST_CASE("each check digit failure is reported at its position with both digits") {
  SUBCASE("document number") {
    const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10");
    const auto* p = mrz::test::find_problem(doc, "document_number");
    REQUIRE(p != nullptr);
    CHECK(p->line == 2);
    CHECK(p->position == 10);
    CHECK(p->message.find("is 7 but the data computes to 6") != std::string::npos);
    CHECK_FALSE(doc.check("composite")->ok);
  }
  SUBCASE("birth date") {
    const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408123F1204159ZE184226B<<<<<10");
    CHECK_FALSE(doc.check("birth_date")->ok);
    CHECK(doc.check("document_number")->ok);
  }
  SUBCASE("expiry date") {
    const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204158ZE184226B<<<<<10");
    CHECK_FALSE(doc.check("expiry_date")->ok);
  }
  SUBCASE("composite only") {
    const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<11");
    CHECK(doc.check("optional_data")->ok);
    CHECK_FALSE(doc.check("composite")->ok);
    CHECK(mrz::test::find_problem(doc, "composite")->position == 44);
  }
  SUBCASE("a letter in a check digit position") {
    const auto doc = parse_as_of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C3OUTO7408122F1204159ZE184226B<<<<<10");
    CHECK_FALSE(doc.valid());
    CHECK_FALSE(doc.check("document_number")->ok);
  }
}

TEST_CASE("TD1 composite covers the optional data of the upper line") {
  // Changing optional data that has no check digit of its own breaks only the composite.
  const auto doc = parse_as_of(std::string("I<UTOD231458907ABC<<<<<<<<<<<<\n") + "7408122F1204159UTO<<<<<<<<<<<6\n" +
                               pad("ERIKSSON<<ANNA<MARIA", 30));
  CHECK(doc.check("document_number")->ok);
  CHECK_FALSE(doc.check("composite")->ok);
  CHECK(doc.optional_data.value == "ABC");
}
