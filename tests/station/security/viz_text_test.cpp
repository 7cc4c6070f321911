// The visual zone's OCR text against the MRZ: what counts as showing a field, tolerant of the
// page's diacritics, Doc 9303's transliteration and OCR's slips, strict where a forger works.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "security/internal/viz_text.hpp"
#include "mrz/mrz.hpp"

using borderpost::station::security::compare_viz_text;

namespace {

// Doc 9303 Part 4 Appendix A's specimen, with a German name for the transliteration.
mrz::Document specimen() {
  return mrz::parse("P<UTOMUELLER<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
                    mrz::ParseOptions{std::chrono::year_month_day{std::chrono::year{2010}, std::chrono::month{1}, std::chrono::day{1}}});
}

bool has(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

constexpr const char* kPage =
    "Surname / Apellidos\nMÜLLER\nGiven names / Nombres\nAnna María\nDate of birth / Fecha de nacimiento\n12.08.1974\n"
    "Document no. / No. de documento\nL898902C3\nDate of expiry / Fecha de vencimiento\n15.04.2012\n";

}  // namespace

TEST_CASE("a visual zone that shows every MRZ field agrees, with the page's diacritics and transliteration") {
  const auto facts = compare_viz_text(kPage, specimen());
  CHECK(facts.disagree.empty());
  CHECK(facts.agree.size() == 5);
  CHECK(facts.characters_read > 60);
}

TEST_CASE("OCR's slips in letters are forgiven, but not a changed digit or date") {
  std::string slipped = kPage;
  slipped.replace(slipped.find("MÜLLER"), 7, "MULLER");          // the accent lost
  slipped.replace(slipped.find("L898902C3"), 9, "LB98902C3");    // 8 read as B
  CHECK(compare_viz_text(slipped, specimen()).disagree.empty());
  std::string altered = kPage;
  altered.replace(altered.find("L898902C3"), 9, "L898907C3");
  altered.replace(altered.find("12.08.1974"), 10, "12.08.1984");
  const auto facts = compare_viz_text(altered, specimen());
  CHECK(has(facts.disagree, "document_number"));
  CHECK(has(facts.disagree, "birth_date"));
  CHECK(has(facts.agree, "surname"));
}

TEST_CASE("another surname on the page disagrees with the MRZ") {
  std::string other = kPage;
  other.replace(other.find("MÜLLER"), 7, "GONZALEZ");
  const auto facts = compare_viz_text(other, specimen());
  CHECK(facts.disagree == std::vector<std::string>{"surname"});
}

TEST_CASE("dates printed with other separators and numbers printed in groups are found") {
  const std::string page = "MUELLER ANNA MARIA 12/08/1974 15-04-2012 L898 902C3";
  CHECK(compare_viz_text(page, specimen()).disagree.empty());
}
