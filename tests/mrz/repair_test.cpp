// repair(): OCR confusions resolved with field types and check digits, every change reported.
#include <doctest/doctest.h>

#include <algorithm>

#include "mrz/repair.hpp"
#include "test_support.hpp"

using namespace mrz;

namespace {
const std::vector<std::string> kSpecimen = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

Repaired fix(std::vector<std::string> lines) {
  return repair(lines, RepairOptions{ParseOptions{mrz::test::kAsOf}});
}

bool changed(const Repaired& r, int line, int position, char from, char to) {
  return std::any_of(r.changes.begin(), r.changes.end(), [&](const CharChange& c) {
    return c.line == line && c.position == position && c.from == from && c.to == to;
  });
}
}  // namespace

TEST_CASE("a clean MRZ is left alone") {
  const auto r = fix(kSpecimen);
  CHECK(r.changes.empty());
  CHECK(r.lines == kSpecimen);
  CHECK(r.document.valid());
  CHECK(r.uncertain_fields.empty());
}

TEST_CASE("letters in digit-only fields are mapped back: O->0, I->1, S->5, B->8, Z->2") {
  auto lines = kSpecimen;
  lines[1] = "L898902C36UTO74O8I22F12O4I59ZE184226B<<<<<1O";
  const auto r = fix(lines);
  CHECK(r.lines == kSpecimen);
  CHECK(r.document.valid());
  CHECK(changed(r, 2, 16, 'O', '0'));
  CHECK(changed(r, 2, 18, 'I', '1'));
  CHECK(changed(r, 2, 44, 'O', '0'));
  CHECK(r.changes.size() == 5);
}

TEST_CASE("a confusion in an alphanumeric number is resolved by its check digit") {
  auto lines = kSpecimen;
  lines[1][5] = 'O';  // L898902C3 read as L8989O2C3: only O->0 satisfies the check digit
  const auto r = fix(lines);
  CHECK(r.lines == kSpecimen);
  REQUIRE(r.changes.size() == 1);
  CHECK(changed(r, 2, 6, 'O', '0'));
  CHECK(r.changes.front().field == "document_number");
  CHECK(r.document.valid());
}

TEST_CASE("an ambiguous repair is not made: LB98902C3 could be L898902C3 or LB9B902C3") {
  // B->8 at weight 3 and 8->B at weight 7 both add 1 to the sum, in the field and in the
  // composite alike, so neither check digit can choose.
  auto lines = kSpecimen;
  lines[1][1] = 'B';
  const auto r = fix(lines);
  CHECK(r.lines == lines);
  CHECK(r.changes.empty());
  CHECK_FALSE(r.document.valid());
  CHECK(std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), "document_number") != r.uncertain_fields.end());
}

TEST_CASE("fillers read as K inside a run of fillers are repaired, and the field marked uncertain") {
  auto lines = kSpecimen;
  lines[1] = "L898902C36UTO7408122F1204159ZE184226B<<K<K10";
  const auto r = fix(lines);
  CHECK(r.lines == kSpecimen);
  CHECK(changed(r, 2, 40, 'K', '<'));
  CHECK(changed(r, 2, 42, 'K', '<'));
  CHECK(std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), "optional_data") != r.uncertain_fields.end());
}

TEST_CASE("a K right after data is kept: check digits cannot tell K from '<' (both 0 modulo 10)") {
  auto lines = kSpecimen;
  lines[1] = "L898902C36UTO7408122F1204159ZE184226BK<<<<10";
  const auto r = fix(lines);
  CHECK(r.lines == lines);
  CHECK(r.document.valid());  // "ZE184226BK" is as valid as "ZE184226B"
  CHECK(r.document.optional_data.value == "ZE184226BK");
}

TEST_CASE("fillers read as K or X after the name are repaired, and the name marked uncertain") {
  auto lines = kSpecimen;
  lines[0] = "P<UTOERIKSSON<<ANNA<MARIA<<<KK<<<X<<<<<<KK<<";
  const auto r = fix(lines);
  CHECK(r.lines == kSpecimen);
  CHECK(std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), "name") != r.uncertain_fields.end());
}

TEST_CASE("a K that ends a name is kept: MARK is not MAR<") {
  std::vector<std::string> lines = {mrz::test::pad("P<UTOSMITH<<MARK", 44), kSpecimen[1]};
  const auto r = fix(lines);
  CHECK(r.lines[0] == lines[0]);
  CHECK(r.document.given_names.value == "MARK");
}

TEST_CASE("a one-letter given name K is kept: SMITH<<K is a name, not fillers") {
  std::vector<std::string> lines = {mrz::test::pad("P<UTOSMITH<<K", 44), kSpecimen[1]};
  const auto r = fix(lines);
  CHECK(r.changes.empty());
  CHECK(r.document.given_names.value == "K");
  std::vector<std::string> two = {mrz::test::pad("P<UTOSMITH<<JOHN<K", 44), kSpecimen[1]};
  CHECK(fix(two).changes.empty());
}

TEST_CASE("digits in the name or country code become letters and are marked uncertain") {
  auto lines = kSpecimen;
  lines[0] = "P<UT0ER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<";
  const auto r = fix(lines);
  CHECK(r.lines[0] == kSpecimen[0]);
  CHECK(changed(r, 1, 5, '0', 'O'));
  CHECK(std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), "name") != r.uncertain_fields.end());
  CHECK(std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), "issuing_state") != r.uncertain_fields.end());
}

TEST_CASE("an O the OCR drew as a 0 in a letters-only field is sure when the letter O clearly led the letters") {
  // The classifier's usual OCR-B doubt: 0 first, O a strong second, no other letter near. The
  // field allows letters only, so among what it allows the O is sure.
  auto cells = mrz::test::as_cells(kSpecimen);
  cells[0][4] = {Candidate{'0', 0.3F}, Candidate{'O', 1.4F}, Candidate{'Q', 7.0F}, Candidate{'D', 7.5F}};   // issuing state
  cells[0][11] = {Candidate{'0', 0.3F}, Candidate{'O', 1.4F}, Candidate{'D', 7.5F}};                         // the name
  const auto sure = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}});
  CHECK(sure.lines == kSpecimen);
  INFO("uncertain: ", sure.uncertain_fields.size() ? sure.uncertain_fields.front() : std::string());
  CHECK(sure.uncertain_fields.empty());
  // A D that looked like a 0 or an O: between the letters the OCR hesitated, so the name is doubtful.
  cells[0][11] = {Candidate{'0', 0.5F}, Candidate{'O', 1.2F}, Candidate{'D', 2.3F}};
  const auto torn = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}});
  CHECK(std::find(torn.uncertain_fields.begin(), torn.uncertain_fields.end(), "name") != torn.uncertain_fields.end());
  // Hardly any probability on a letter at all: not a reading of a letter, whatever the field allows.
  cells[0][11] = {Candidate{'0', 0.02F}, Candidate{'O', 5.0F}, Candidate{'8', 5.5F}};
  const auto unread = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}});
  CHECK(std::find(unread.uncertain_fields.begin(), unread.uncertain_fields.end(), "name") != unread.uncertain_fields.end());
}


TEST_CASE("two wrong digits under one check digit: repaired only when two changes are allowed") {
  // Birth date 740812 read as 746817; the OCR's runners-up are the true digits. Neither single
  // change fits the check digit 2; both together do.
  auto cells = mrz::test::as_cells(kSpecimen);
  cells[1][15] = {Candidate{'6', 0.3F}, Candidate{'0', 0.5F}};
  cells[1][18] = {Candidate{'7', 0.3F}, Candidate{'2', 0.5F}};
  const auto strict = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}, 1});
  CHECK(strict.lines[1].substr(13, 6) == "746817");
  CHECK_FALSE(strict.document.valid());
  CHECK(std::find(strict.uncertain_fields.begin(), strict.uncertain_fields.end(), "birth_date") !=
        strict.uncertain_fields.end());
  const auto lenient = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}, 2});
  CHECK(lenient.lines == kSpecimen);
  CHECK(lenient.changes.size() == 2);
}

TEST_CASE("confidence per field: as read, repaired, unconfirmed") {
  auto lines = kSpecimen;
  lines[1][5] = 'O';                              // repaired by the document number check digit
  lines[0] = "P<UTOERIKSSON<<ANNA<MARIA<<<<KK<<<<<<<<<<<<";  // fillers read as K after the name
  const auto r = fix(lines);
  auto confidence = [&](const std::string& field) {
    for (const auto& c : r.confidence) {
      if (c.field == field) return c.confidence;
    }
    return -1.0F;
  };
  CHECK(confidence("birth_date") == doctest::Approx(1.0));
  CHECK(confidence("document_number") == doctest::Approx(0.9));
  CHECK(confidence("name") == doctest::Approx(0.5));
}

TEST_CASE("no repair beyond the allowance: three errors under one check digit stay errors") {
  auto lines = kSpecimen;
  lines[1] = "L898902C36UTO7408122F1204159Z3I84ZZ6B<<<<<10";
  const auto r = fix(lines);
  CHECK_FALSE(r.document.valid());
}

TEST_CASE("TD1: optional data with no check digit of its own is repaired by the composite, and reported uncertain") {
  const std::vector<std::string> clean = {"I<UTOD231458907ABC<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<1",
                                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
  // the composite of the clean card must hold
  REQUIRE(parse(clean, ParseOptions{mrz::test::kAsOf}).valid());
  auto lines = clean;
  lines[0][16] = '8';  // ABC read as A8C: no field check digit covers it, the composite does
  const auto r = fix(lines);
  CHECK(r.lines == clean);
  CHECK(changed(r, 1, 17, '8', 'B'));
  // One composite digit over most of the MRZ is weak evidence for a change: say so.
  CHECK(r.uncertain_fields == std::vector<std::string>{"optional_data"});
}

TEST_CASE("per-cell OCR candidates: the runner-up wins when the check digit says so") {
  auto cells = mrz::test::as_cells(kSpecimen);
  // The OCR's first choice for the document number's 3rd character is '3' (wrong), '9' second.
  cells[1][2] = {Candidate{'3', 0.3F}, Candidate{'9', 0.4F}};
  const auto r = repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}});
  CHECK(r.lines == kSpecimen);
  CHECK(changed(r, 2, 3, '3', '9'));
  CHECK(r.document.valid());
}

TEST_CASE("repair of input that is not an MRZ returns the parse problems") {
  const std::vector<std::string> lines = {"HELLO"};
  const auto r = fix(lines);
  CHECK_FALSE(r.document.usable());
  CHECK(r.changes.empty());
}

TEST_CASE("an unknown country code is repaired to the one known code its look-alikes allow: UTD -> UTO") {
  auto lines = kSpecimen;
  lines[0][4] = 'D';   // issuing state UTD
  lines[1][12] = 'Q';  // nationality UTQ
  const auto r = fix(lines);
  CHECK(r.lines == kSpecimen);
  CHECK(changed(r, 1, 5, 'D', 'O'));
  CHECK(changed(r, 2, 13, 'Q', 'O'));
  CHECK(r.document.valid());
}

TEST_CASE("an unknown country code with no single known look-alike is left as read") {
  auto lines = kSpecimen;
  lines[0].replace(2, 3, "QQQ");
  const auto r = fix(lines);
  CHECK(r.lines[0].substr(2, 3) == "QQQ");
}

namespace {
Repaired fix_cells(const CellCandidates& cells) { return repair(cells, RepairOptions{ParseOptions{mrz::test::kAsOf}}); }

bool uncertain(const Repaired& r, const std::string& field) {
  return std::find(r.uncertain_fields.begin(), r.uncertain_fields.end(), field) != r.uncertain_fields.end();
}
}  // namespace

TEST_CASE("an unknown state code the OCR read with conviction is kept: a specimen's COU is not made Curacao's CUW") {
  auto lines = kSpecimen;
  lines[0].replace(2, 3, "COU");
  lines[1].replace(10, 3, "COU");
  const auto r = fix_cells(mrz::test::as_cells(lines));
  CHECK(r.lines == lines);
  CHECK(r.changes.empty());
}

TEST_CASE("an unknown state code with a cell the OCR was unsure of is repaired to the one known look-alike") {
  auto lines = kSpecimen;
  lines[0][4] = 'D';  // UTD, its D read with 60 % and O second
  auto cells = mrz::test::as_cells(lines);
  cells[0][4] = {Candidate{'D', 0.51F}, Candidate{'O', 0.9F}};
  const auto r = fix_cells(cells);
  CHECK(r.lines == kSpecimen);
  CHECK(changed(r, 1, 5, 'D', 'O'));
}

TEST_CASE("a check digit printed wrong and read with conviction is never silently overruled: its field is uncertain") {
  auto lines = kSpecimen;
  lines[1][43] = '1';  // the composite check digit as a nonconforming specimen prints it
  const auto r = fix_cells(mrz::test::as_cells(lines));
  CHECK_FALSE((r.document.valid() && r.uncertain_fields.empty()));
  for (const auto& change : r.changes) CHECK(uncertain(r, change.field));
}

TEST_CASE("an unsure character a check digit cannot tell from its runner-up is uncertain: L or B (21 and 11)") {
  auto cells = mrz::test::as_cells(kSpecimen);
  // L read with 74 %, B second: both weigh 1 modulo 10, so the passing check proves nothing.
  cells[1][0] = {Candidate{'L', 0.3F}, Candidate{'B', 1.5F}};
  const auto r = fix_cells(cells);
  CHECK(r.lines == kSpecimen);
  CHECK(r.document.valid());
  CHECK(uncertain(r, "document_number"));
}

TEST_CASE("an unsure character confirmed by its check digit is certain: no other reading of it passes") {
  auto cells = mrz::test::as_cells(kSpecimen);
  // 8 read with 74 %, 3 second: 8 x 7 and 3 x 7 differ modulo 10, and so does B (its look-alike).
  cells[1][3] = {Candidate{'8', 0.3F}, Candidate{'3', 1.5F}};
  const auto r = fix_cells(cells);
  CHECK(r.document.valid());
  CHECK(r.uncertain_fields.empty());
}

TEST_CASE("two unsure characters under one check digit are not confirmed by it (misreads can cancel)") {
  auto cells = mrz::test::as_cells(kSpecimen);
  cells[1][1] = {Candidate{'8', 0.3F}, Candidate{'3', 1.5F}};
  cells[1][3] = {Candidate{'8', 0.3F}, Candidate{'6', 1.5F}};
  const auto r = fix_cells(cells);
  CHECK(r.document.valid());
  CHECK(uncertain(r, "document_number"));
}

TEST_CASE("an unsure letter in the name, which no check digit covers, makes the name uncertain") {
  auto cells = mrz::test::as_cells(kSpecimen);
  cells[0][5] = {Candidate{'E', 0.5F}, Candidate{'F', 1.2F}};
  const auto r = fix_cells(cells);
  CHECK(r.lines == kSpecimen);
  CHECK(r.document.valid());
  CHECK(r.uncertain_fields == std::vector<std::string>{"name"});
  const auto name = std::find_if(r.confidence.begin(), r.confidence.end(), [](const FieldConfidence& c) { return c.field == "name"; });
  REQUIRE(name != r.confidence.end());
  CHECK(name->confidence <= 0.5F);
}

TEST_CASE("a fix the OCR found over ten times less likely than its reading stands, but its field is uncertain") {
  auto cells = mrz::test::as_cells(kSpecimen);
  // L838902C3: the check fails; the only fix is the runner-up 9 that the OCR all but ruled out
  // (a wrong reading passes a check digit one time in ten by chance).
  cells[1][2] = {Candidate{'3', 0.2F}, Candidate{'9', 3.0F}};
  cells[1][5] = {Candidate{'0', 0.0F}, Candidate{'O', 9.0F}, Candidate{'D', 9.0F}, Candidate{'Q', 9.0F}};
  const auto implausible = fix_cells(cells);
  CHECK(implausible.lines == kSpecimen);
  CHECK(uncertain(implausible, "document_number"));
  // The same fix at a plausible cost is vouched for by the check digit: 3 read with 75 %, 9 with 22 %.
  cells[1][2] = {Candidate{'3', 0.29F}, Candidate{'9', 1.5F}};
  const auto plausible = fix_cells(cells);
  CHECK(plausible.lines == kSpecimen);
  CHECK_FALSE(uncertain(plausible, "document_number"));
}
