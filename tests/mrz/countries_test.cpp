// Country and organisation codes of Doc 9303 Part 3 §5.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "mrz/countries.hpp"
#include "test_support.hpp"

using namespace mrz;

TEST_CASE("every special code of Doc 9303 Part 3 is known, with its name") {
  const char* codes[] = {"D", "EUE", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "XOM", "XPO", "XES", "XMP",
                         "XCC", "XIM", "XBA", "XDC", "XCE", "XCO", "XEC", "GBD", "GBN", "GBO", "GBP", "GBS",
                         "RKS", "UTO", "ANT", "NTZ", "IAO"};
  for (const char* code : codes) {
    const auto found = find_country(code);
    REQUIRE_MESSAGE(found.has_value(), code);
    CHECK(found->code == code);
    CHECK_FALSE(found->name.empty());
  }
  CHECK(find_country("D")->name == "Germany");
  CHECK(find_country("XXA")->kind == CodeKind::Nationality);
  CHECK(find_country("UNO")->kind == CodeKind::Organisation);
  CHECK(find_country("UTO")->kind == CodeKind::Specimen);
}

TEST_CASE("codes padded with fillers are found (D<< is Germany)") {
  REQUIRE(find_country("D<<").has_value());
  CHECK(find_country("D<<")->code == "D");
}

TEST_CASE("unknown codes are not found, and never crash") {
  CHECK_FALSE(find_country("ZZZ").has_value());
  CHECK_FALSE(find_country("").has_value());
  CHECK_FALSE(find_country("<<<").has_value());
  CHECK_FALSE(find_country("utO").has_value());
}

TEST_CASE("the table is sorted and has no duplicates") {
  const auto all = all_country_codes();
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].code < all[i].code);
}

TEST_CASE("every ISO 3166-1 alpha-3 code from Debian's iso-codes is in the table with its name") {
  std::ifstream file("/usr/share/iso-codes/json/iso_3166-1.json");
  REQUIRE_MESSAGE(file.good(), "the iso-codes package is installed by scripts/install-deps.sh");
  const auto json = nlohmann::json::parse(file);
  int checked = 0;
  for (const auto& entry : json.at("3166-1")) {
    const std::string code = entry.at("alpha_3");
    const auto found = find_country(code);
    REQUIRE_MESSAGE(found.has_value(), code);
    if (found->kind == CodeKind::State) CHECK(found->name == entry.at("name").get<std::string>());
    CHECK_MESSAGE(found->alpha2 == entry.at("alpha_2").get<std::string>(), code);
    ++checked;
  }
  CHECK(checked > 240);
}

TEST_CASE("a state's alpha-2 code is the one its Document Signer certificates carry in C=") {
  CHECK(alpha2_of_issuer("UTO") == "UT");  // the ICAO specimen state's test PKI uses C=UT
  CHECK(alpha2_of_issuer("NLD") == "NL");
  CHECK(alpha2_of_issuer("DEU") == "DE");
  CHECK(find_country("FRA")->alpha2 == "FR");
}

TEST_CASE("the codes Doc 9303 Part 3 adds for a state name that state's alpha-2 code") {
  CHECK(alpha2_of_issuer("D") == "DE");
  CHECK(alpha2_of_issuer("D<<") == "DE");
  for (const char* british : {"GBR", "GBD", "GBN", "GBO", "GBP", "GBS"}) {
    CHECK_MESSAGE(alpha2_of_issuer(british) == "GB", british);
  }
  CHECK(alpha2_of_issuer("RKS") == "XK");
  CHECK(alpha2_of_issuer("ANT") == "AN");  // withdrawn from ISO 3166-1 in 2010 (ISO 3166-3)
}

TEST_CASE("organisations and persons without a nationality have no alpha-2 code") {
  for (const char* code : {"EUE", "UNO", "UNA", "UNK", "XPO", "XOM", "IAO", "XXA", "XXB", "XXC", "XXX"}) {
    CHECK_MESSAGE(find_country(code)->alpha2.empty(), code);
    CHECK_FALSE_MESSAGE(alpha2_of_issuer(code).has_value(), code);
  }
  CHECK_FALSE(alpha2_of_issuer("ZZZ").has_value());
  CHECK_FALSE(alpha2_of_issuer("").has_value());
}

TEST_CASE("an unknown issuing state is a warning on an otherwise valid document") {
  std::string line2 = "L898902C36ZZZ7408122F3204153<<<<<<<<<<<<<<0";
  line2 += *check_digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
  const auto doc = mrz::test::parse_as_of(mrz::test::pad("P<QQQERIKSSON<<ANNA", 44) + "\n" + line2);
  CHECK(doc.valid());
  CHECK(mrz::test::has_problem(doc, "issuing_state", Severity::Warning));
  CHECK(mrz::test::has_problem(doc, "nationality", Severity::Warning));
}
