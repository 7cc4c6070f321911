// Names: transliteration and punctuation (Part 3 §4.6, §6) and truncation (Parts 4-7).
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace mrz;

TEST_CASE("apostrophes are dropped without a filler: D'ARTAGNAN -> DARTAGNAN") {
  CHECK(transliterate_name("D'Artagnan") == "DARTAGNAN");
  CHECK(transliterate_name("O\u2019Connor") == "OCONNOR");
}

TEST_CASE("hyphens become a filler: MARIE-ELISE -> MARIE<ELISE") {
  CHECK(transliterate_name("Marie-Elise") == "MARIE<ELISE");
  CHECK(transliterate_name("Al-Basri") == "AL<BASRI");
}

TEST_CASE("commas and runs of spaces become a single filler") {
  CHECK(transliterate_name("Anna, Maria") == "ANNA<MARIA");
  CHECK(transliterate_name("  van   der  Muellen ") == "VAN<DER<MUELLEN");
}

TEST_CASE("Latin national characters follow the Part 3 §6 table") {
  CHECK(transliterate_name("Müller") == "MUELLER");
  CHECK(transliterate_name("Åström") == "AASTROEM");
  CHECK(transliterate_name("Ñúñez") == "NUNEZ");
  CHECK(transliterate_name("Gonçalves") == "GONCALVES");
  CHECK(transliterate_name("Straße") == "STRASSE");
  CHECK(transliterate_name("Łukasz Wałęsa") == "LUKASZ<WALESA");
  CHECK(transliterate_name("Þórunn") == "THORUNN");
  CHECK(transliterate_name("Øster Ærø") == "OESTER<AEROE");
  CHECK(transliterate_name("José Ramón") == "JOSE<RAMON");
}

TEST_CASE("Cyrillic characters follow the Part 3 §6 table") {
  CHECK(transliterate_name("Иванова") == "IVANOVA");
  CHECK(transliterate_name("Щукин") == "SHCHUKIN");
  CHECK(transliterate_name("Юлия") == "IULIIA");
  CHECK(transliterate_name("Жанна") == "ZHANNA");
}

TEST_CASE("digits, punctuation and invalid UTF-8 are left out, never crash") {
  CHECK(transliterate_name("Smith 3rd.") == "SMITH<RD");
  CHECK(transliterate_name("\xff\xfe\xc3") == "");
  CHECK(transliterate_name("") == "");
}

TEST_CASE("truncation shortens the secondary identifier first (Part 5 §4.2.3.1 a)") {
  DocumentFields f;
  f.format = Format::TD1;
  f.issuing_state = f.nationality = "UTO";
  f.surname = "Nilavadhanananda";
  f.given_names = "Chayapa Dejthamrong Krasuang";
  f.document_number = "D23145890";
  f.birth_date = Date{"", 1974, 8, 12};
  f.expiry_date = Date{"", 2032, 4, 15};
  f.sex = 'F';
  const auto out = format(f);
  REQUIRE(out.ok());
  CHECK(out.lines[2] == "NILAVADHANANANDA<<CHAYAPA<DE<K");
  CHECK(mrz::test::count(parse(out.lines, ParseOptions{mrz::test::kAsOf}), Severity::Error) == 0);
  REQUIRE_FALSE(out.problems.empty());
  CHECK(out.problems.front().severity == Severity::Warning);
}

TEST_CASE("truncation ends the name field with a letter and keeps the first initial") {
  DocumentFields f;
  f.format = Format::TD2;
  f.issuing_state = f.nationality = "UTO";
  f.surname = "Bennelong Wooloomooloo Warrandyte Warnambool";
  f.given_names = "Dingo Potoroo";
  f.document_number = "D23145890";
  f.birth_date = Date{"", 1974, 8, 12};
  f.expiry_date = Date{"", 2032, 4, 15};
  const auto out = format(f);
  REQUIRE(out.ok());
  const auto name = out.lines[0].substr(5);
  CHECK(name.size() == 31);
  CHECK(name.back() >= 'A');
  CHECK(name.find("<<D") != std::string::npos);
  const auto doc = parse(out.lines, ParseOptions{mrz::test::kAsOf});
  CHECK(doc.name_possibly_truncated);
  CHECK(doc.given_names.value.front() == 'D');
}
