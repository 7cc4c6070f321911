// The Utopia specimens printed in Doc 9303 Parts 3 to 7 parse and validate.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace mrz;
using mrz::test::parse_as_of;

TEST_CASE("TD3 passport specimen of Part 4 Appendix A (ERIKSSON)") {
  const auto doc = parse_as_of(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
      "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  CHECK(doc.valid());
  CHECK(doc.format == Format::TD3);
  CHECK(doc.document_code.value == "P");
  CHECK(doc.issuing_state.value == "UTO");
  CHECK(doc.surname.value == "ERIKSSON");
  CHECK(doc.given_names.value == "ANNA MARIA");
  CHECK(doc.document_number.value == "L898902C3");
  CHECK(doc.nationality.value == "UTO");
  CHECK(doc.birth_date.iso() == "1974-08-12");
  CHECK(doc.sex.value == "F");
  CHECK(doc.expiry_date.iso() == "2012-04-15");
  CHECK(doc.optional_data.value == "ZE184226B");
  CHECK(doc.checks.size() == 5);
  for (const auto& c : doc.checks) CHECK_MESSAGE(c.ok, c.field);
  CHECK(doc.problems.empty());
}

TEST_CASE("TD3 specimen with a Cyrillic name (IVANOVA, Part 4 Appendix A)") {
  const auto doc = parse_as_of(
      "P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
      "L898902C36UTO7408122F2504155184226<<<<<<<<18");
  CHECK(doc.valid());
  CHECK(doc.surname.value == "IVANOVA");
  CHECK(doc.given_names.value == "ANNA");
  CHECK(doc.optional_data.value == "184226");
  CHECK(doc.expiry_date.iso() == "2025-04-15");
}

TEST_CASE("the IVANOVA specimen as misprinted in Doc 9303 (45 characters a line) is reported, not misread") {
  // One filler too many in the name and in the personal number: the upper line is trimmed as a
  // fix; the lower line's extra character shifts the check digits, which then fail, as they should.
  const auto doc = parse_as_of(std::string("P<UTOIVANOVA<<ANNA") + std::string(27, '<') + "\n" +
                               "L898902C36UTO7408122F2504155184226<<<<<<<<<18");
  CHECK(doc.usable());
  CHECK(mrz::test::has_problem(doc, "line 1", Severity::Fixed));
  CHECK(mrz::test::has_problem(doc, "line 2", Severity::Error));
  CHECK_FALSE(doc.valid());
}

TEST_CASE("TD1 identity card specimen of Part 5 Appendix A") {
  const auto doc = parse_as_of(
      "I<UTOD231458907<<<<<<<<<<<<<<<\n"
      "7408122F1204159UTO<<<<<<<<<<<6\n"
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  CHECK(doc.valid());
  CHECK(doc.format == Format::TD1);
  CHECK(doc.document_code.value == "I");
  CHECK(doc.document_number.value == "D23145890");
  CHECK(doc.birth_date.iso() == "1974-08-12");
  CHECK(doc.expiry_date.iso() == "2012-04-15");
  CHECK(doc.nationality.value == "UTO");
  CHECK(doc.surname.value == "ERIKSSON");
  CHECK(doc.given_names.value == "ANNA MARIA");
  REQUIRE(doc.check("composite") != nullptr);
  CHECK(doc.check("composite")->ok);
  CHECK(doc.problems.empty());
}

TEST_CASE("TD2 specimen of Part 6 Appendix A") {
  const auto doc = parse_as_of(
      "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
      "D231458907UTO7408122F1204159<<<<<<<6");
  CHECK(doc.valid());
  CHECK(doc.format == Format::TD2);
  CHECK(doc.document_number.value == "D23145890");
  CHECK(doc.given_names.value == "ANNA MARIA");
  CHECK(doc.check("composite")->ok);
}

TEST_CASE("MRV-A visa specimen of Part 7 (nationality XXX, no composite check)") {
  const auto doc = parse_as_of(
      "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
      "L8988901C4XXX7408122F96121096ZE184226B<<<<<<");
  CHECK(doc.valid());
  CHECK(doc.format == Format::MRVA);
  CHECK(doc.document_code.value == "V");
  CHECK(doc.document_number.value == "L8988901C");
  CHECK(doc.nationality.value == "XXX");
  CHECK(doc.expiry_date.iso() == "1996-12-10");
  CHECK(doc.optional_data.value == "6ZE184226B");
  CHECK(doc.check("composite") == nullptr);
  CHECK(doc.checks.size() == 3);
}

TEST_CASE("MRV-A specimen with a passport number shorter than nine characters") {
  const auto doc = parse_as_of(
      "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
      "L898902C<3UTO6908061F9406236ZE184226B<<<<<<<");
  CHECK(doc.valid());
  CHECK(doc.document_number.value == "L898902C");
  CHECK(doc.birth_date.iso() == "1969-08-06");
}

TEST_CASE("MRV-B visa specimen of Part 7") {
  const auto doc = parse_as_of(
      "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
      "L8988901C4XXX7408122F9612109<<<<<<<<");
  CHECK(doc.valid());
  CHECK(doc.format == Format::MRVB);
  CHECK(doc.optional_data.value.empty());
}

TEST_CASE("visible digital seal visa of Part 7 issued by Germany (code D)") {
  const auto doc = parse_as_of(
      "VCD<<DENT<<ARTHUR<PHILIP<<<<<<<<<<<\n"
      "1234567XY7GBR5203116M2105253<<<<<<<<");
  CHECK(doc.valid());
  CHECK(doc.format == Format::MRVB);
  CHECK(doc.document_code.value == "VC");
  CHECK(doc.issuing_state.value == "D");
  CHECK(doc.nationality.value == "GBR");
  CHECK(doc.surname.value == "DENT");
  CHECK(doc.given_names.value == "ARTHUR PHILIP");
  CHECK(doc.birth_date.iso() == "1952-03-11");
}

TEST_CASE("Part 3 example lines with the unknown code YTO validate with a warning") {
  const auto td3 = parse_as_of(mrz::test::pad("P<YTOSPECIMEN<<TEST", 44) + "\n" +
                               "HA672242<6YTO5802254M9601086<<<<<<<<<<<<<<08");
  CHECK(td3.valid());
  CHECK(mrz::test::has_problem(td3, "nationality", Severity::Warning));
  CHECK(td3.document_number.value == "HA672242");

  const auto td1 = parse_as_of(std::string("I<YTOD231458907<<<<<<<<<<<<<<<\n") +
                               "3407127M9507122YTO<<<<<<<<<<<2\n"
      + mrz::test::pad("SPECIMEN<<TEST", 30));
  CHECK(td1.valid());
  CHECK(td1.birth_date.iso() == "1934-07-12");
}
