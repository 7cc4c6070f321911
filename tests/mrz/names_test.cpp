// Names: transliteration and punctuation (Part 3 §4.6, §6) and truncation (Parts 4-7).
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "test_support.hpp"

using namespace mrz;

namespace {

// A name as written and as the MRZ must hold it.
struct Transliteration {
  const char* written;
  const char* in_mrz;
};

void check_transliterations(std::initializer_list<Transliteration> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.written);
    CHECK(transliterate_name(c.written) == c.in_mrz);
  }
}

// A holder of Utopia with a name too long for the layout's name field, to see it truncated.
DocumentFields with_long_name(Format format, std::string surname, std::string given_names) {
  DocumentFields f;
  f.format = format;
  f.issuing_state = f.nationality = "UTO";
  f.surname = std::move(surname);
  f.given_names = std::move(given_names);
  f.document_number = "D23145890";
  f.birth_date = Date{"", 1974, 8, 12};
  f.expiry_date = Date{"", 2032, 4, 15};
  return f;
}

}  // namespace

TEST_CASE("apostrophes are dropped without a filler: D'ARTAGNAN -> DARTAGNAN") {
  check_transliterations({{"D'Artagnan", "DARTAGNAN"}, {"O\u2019Connor", "OCONNOR"}});
}

TEST_CASE("hyphens become a filler: MARIE-ELISE -> MARIE<ELISE") {
  check_transliterations({{"Marie-Elise", "MARIE<ELISE"}, {"Al-Basri", "AL<BASRI"}});
}

TEST_CASE("commas and runs of spaces become a single filler") {
  check_transliterations({{"Anna, Maria", "ANNA<MARIA"}, {"  van   der  Muellen ", "VAN<DER<MUELLEN"}});
}

TEST_CASE("Latin national characters follow the Part 3 §6 table") {
  check_transliterations({{"Müller", "MUELLER"},
                          {"Åström", "AASTROEM"},
                          {"Ñúñez", "NUNEZ"},
                          {"Gonçalves", "GONCALVES"},
                          {"Straße", "STRASSE"},
                          {"Łukasz Wałęsa", "LUKASZ<WALESA"},
                          {"Þórunn", "THORUNN"},
                          {"Øster Ærø", "OESTER<AEROE"},
                          {"José Ramón", "JOSE<RAMON"}});
}

TEST_CASE("Cyrillic characters follow the Part 3 §6 table") {
  check_transliterations({{"Иванова", "IVANOVA"}, {"Щукин", "SHCHUKIN"}, {"Юлия", "IULIIA"}, {"Жанна", "ZHANNA"}});
}

TEST_CASE("digits, punctuation and invalid UTF-8 are left out, never crash") {
  check_transliterations({{"Smith 3rd.", "SMITH<RD"}, {"\xff\xfe\xc3", ""}, {"", ""}});
}

TEST_CASE("truncation shortens the secondary identifier first (Part 5 §4.2.3.1 a)") {
  auto f = with_long_name(Format::TD1, "Nilavadhanananda", "Chayapa Dejthamrong Krasuang");
  f.sex = 'F';
  const auto out = format(f);
  REQUIRE(out.ok());
  CHECK(out.lines[2] == "NILAVADHANANANDA<<CHAYAPA<DE<K");
  CHECK(mrz::test::count(parse(out.lines, ParseOptions{mrz::test::kAsOf}), Severity::Error) == 0);
  REQUIRE_FALSE(out.problems.empty());
  CHECK(out.problems.front().severity == Severity::Warning);
}

TEST_CASE("truncation ends the name field with a letter and keeps the first initial") {
  const auto out = format(with_long_name(Format::TD2, "Bennelong Wooloomooloo Warrandyte Warnambool", "Dingo Potoroo"));
  REQUIRE(out.ok());
  const auto name = out.lines[0].substr(5);
  CHECK(name.size() == 31);
  CHECK(name.back() >= 'A');
  CHECK(name.find("<<D") != std::string::npos);
  const auto doc = parse(out.lines, ParseOptions{mrz::test::kAsOf});
  CHECK(doc.name_possibly_truncated);
  CHECK(doc.given_names.value.front() == 'D');
}
