// The inspection checks and the verdict, told as the situations an inspector meets at the desk.
#include "inspection/inspection.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "inspection_support.hpp"
#include "mrz/mrz.hpp"

using namespace borderpost::station;
using borderpost::sync::WatchlistEntry;
using std::chrono::year_month_day;
using namespace inspection_support;

namespace {

InspectionFacts facts_for(mrz::Document document, year_month_day crossing = kCrossing) {
  InspectionFacts facts;
  facts.document = std::move(document);
  facts.crossing_date = crossing;
  facts.direction = Direction::entry;
  return facts;
}

Rules mercosur_rules() {
  Rules rules;
  rules.stays.push_back({"MERCOSUR", {"ARG", "BRA", "PRY", "URY"}, 90});
  rules.stays.push_back({"visa-exempt", {"UTO"}, 60});
  rules.default_stay_days = 30;
  return rules;
}

const CheckResult& check(const Verdict& verdict, std::string_view id) {
  const auto it =
      std::find_if(verdict.checks.begin(), verdict.checks.end(), [&](const CheckResult& c) { return c.id == id; });
  REQUIRE(it != verdict.checks.end());
  return *it;
}

CheckResult run(const InspectionFacts& facts, std::string_view id, const Rules& rules = {}) {
  return check(inspect(facts, rules), id);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Details typed from the visual zone: no MRZ, and only what the inspector typed.
InspectionFacts typed_from_visual_zone(mrz::Document typed = {}) {
  InspectionFacts facts = facts_for(std::move(typed));
  facts.source = MrzSource::VizTyped;
  return facts;
}

// The sequence check of a crossing in `direction` by a traveller whose last movement at this post
// was `previous` (none: this is the first one recorded here).
CheckResult sequence_check(Direction direction, std::optional<PreviousMovement> previous = std::nullopt) {
  InspectionFacts facts = facts_for(passport());
  facts.direction = direction;
  facts.previous = previous;
  return run(facts, "movement.sequence");
}

// The overstay check, under the MERCOSUR rules, of a traveller of `nationality` who entered on
// `entered` and leaves on `left`.
CheckResult overstay_check(const std::string& nationality, year_month_day entered, year_month_day left) {
  InspectionFacts facts = facts_for(passport({.nationality = nationality}), left);
  facts.direction = Direction::exit;
  facts.previous = PreviousMovement{Direction::entry, entered};
  return run(facts, "stay.overstay", mercosur_rules());
}

// The Doc 9303 Part 4 specimen, read as of a day on which it was still valid.
const char* const kSpecimenTd3 =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

}  // namespace

// --- names -------------------------------------------------------------------------------------

TEST_CASE("check statuses and MRZ sources have their documented names") {
  CHECK(to_string(CheckStatus::Pass) == "pass");
  CHECK(to_string(CheckStatus::Warn) == "warn");
  CHECK(to_string(CheckStatus::Fail) == "fail");
  CHECK(to_string(CheckStatus::NotRun) == "not-run");
  CHECK(to_string(MrzSource::Optical) == "optical");
  CHECK(to_string(MrzSource::Typed) == "typed");
  CHECK(to_string(MrzSource::VizTyped) == "viz-typed");
  CHECK(to_string(MrzSource::TextReader) == "text-reader");
}

// --- the verdict -------------------------------------------------------------------------------

TEST_CASE("every check is present in the fixed order even for an empty document") {
  const Verdict verdict = inspect(InspectionFacts{}, Rules{});
  const std::vector<std::string> ids = {
      "mrz.valid",       "mrz.legible",        "document.expired", "document.expires_soon", "document.code_known",
      "traveller.minor", "watchlist.document", "watchlist.person", "movement.sequence",     "stay.overstay",
      "chip.access",     "chip.passive_auth",  "chip.dg_hashes",   "chip.ds_certificate",   "chip.mrz_matches_optical",
      "chip.active_auth", "security.ir_mrz",   "security.uv_dull", "security.photo_present", "security.viz_matches_mrz",
      "security.mrz_print"};
  REQUIRE(verdict.checks.size() == ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(verdict.checks[i].id == ids[i]);
  for (const auto& c : verdict.checks) CHECK_FALSE(c.reason.empty());
}

TEST_CASE("a clean passport at entry passes and the headline says every check passes") {
  const Verdict verdict = inspect(facts_for(passport()), Rules{});
  CHECK(verdict.overall == CheckStatus::Pass);
  CHECK(verdict.headline == "Every check passes.");
  CHECK_FALSE(verdict.minor);
  CHECK(check(verdict, "stay.overstay").status == CheckStatus::NotRun);
  for (const auto& c : verdict.checks) CHECK_FALSE(c.alert);
}

TEST_CASE("the headline admits checks that could not run") {
  InspectionFacts facts = facts_for(passport());
  facts.direction = std::nullopt;
  const Verdict verdict = inspect(facts, Rules{});
  CHECK(verdict.overall == CheckStatus::Pass);
  CHECK(verdict.headline == "Every check that could run passes; 2 checks could not run.");
}

TEST_CASE("the post's own security tolerances (rules.security in station.toml) judge the page in the verdict") {
  InspectionFacts facts = facts_for(passport());
  facts.security = genuine_page();
  facts.security.print.left_mm = 7.5;  // 1.5 mm from Doc 9303's 6.0 mm
  CHECK(run(facts, "security.mrz_print").status == CheckStatus::Fail);
  Rules lenient;
  lenient.security.position_tolerance_mm = 2.0;
  CHECK(run(facts, "security.mrz_print", lenient).status == CheckStatus::Pass);
}

TEST_CASE("the overall status is the worst check and not-run does not count") {
  InspectionFacts facts = facts_for(passport({.birth = date(2008, 1, 1)}));  // a minor: warn
  facts.direction = std::nullopt;                                                      // two not-run checks
  CHECK(inspect(facts, Rules{}).overall == CheckStatus::Warn);
  facts.document_hits.push_back(listed_document("L898902C3", "stolen"));
  CHECK(inspect(facts, Rules{}).overall == CheckStatus::Fail);
}

TEST_CASE("the headline names the most serious issues first") {
  InspectionFacts facts = facts_for(passport({.birth = date(2008, 1, 1)}));
  facts.document_hits.push_back(listed_document("L898902C3", "reported stolen"));
  const Verdict verdict = inspect(facts, Rules{});
  CHECK(verdict.headline ==
        "Attention: document on the watch-list (reported stolen) and traveller is a minor (age 16).");
  CHECK(verdict.minor);
}

TEST_CASE("a verdict with only warnings asks for a review") {
  InspectionFacts facts = facts_for(passport({.expiry = date(2024, 7, 15)}));
  CHECK(inspect(facts, Rules{}).headline == "Review: document expires in 30 days.");
}

TEST_CASE("the headline names at most three issues and counts the rest") {
  InspectionFacts facts = facts_for(passport({.birth = date(2008, 1, 1), .expiry = date(2024, 1, 1)}));
  facts.document_hits.push_back(listed_document("L898902C3", "stolen"));
  facts.previous = PreviousMovement{Direction::entry, day(2024, 1, 10)};
  facts.source = MrzSource::Optical;
  facts.optical_needs_review = true;
  facts.uncertain_fields = {"name"};
  const Verdict verdict = inspect(facts, Rules{});
  CHECK(verdict.headline ==
        "Attention: document on the watch-list (stolen), document expired, traveller is a minor (age 16) and 2 more "
        "issues.");
}

// --- mrz.valid ---------------------------------------------------------------------------------

TEST_CASE("the ICAO TD3 specimen passes the MRZ check") {
  InspectionFacts facts = facts_for(mrz::parse(kSpecimenTd3, mrz::ParseOptions{day(2010, 1, 1)}), day(2010, 1, 1));
  const auto result = run(facts, "mrz.valid");
  CHECK(result.status == CheckStatus::Pass);
  CHECK(result.reason == "Every check digit of the MRZ is right.");
}

TEST_CASE("a wrong document number check digit fails in plain words") {
  // The specimen with its document number check digit 6 misprinted as 4.
  const char* text =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
      "L898902C34UTO7408122F1204159ZE184226B<<<<<10";
  InspectionFacts facts = facts_for(mrz::parse(text, mrz::ParseOptions{day(2010, 1, 1)}), day(2010, 1, 1));
  const auto result = run(facts, "mrz.valid");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(contains(result.reason, "The check digit of the document number is wrong (printed 4, computed 6)."));
  CHECK(contains(result.reason, "The composite check digit (over the whole MRZ) is wrong"));
  CHECK_FALSE(contains(result.reason, "typed"));
}

// The ICAO specimen with a wrong birth date check digit, as it came from `source`.
static InspectionFacts wrong_birth_check_digit(MrzSource source) {
  const char* text =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
      "L898902C36UTO7408123F1204159ZE184226B<<<<<10";
  InspectionFacts facts = facts_for(mrz::parse(text, mrz::ParseOptions{day(2010, 1, 1)}), day(2010, 1, 1));
  facts.source = source;
  return facts;
}

TEST_CASE("a typed MRZ that fails says it was typed") {
  const auto result = run(wrong_birth_check_digit(MrzSource::Typed), "mrz.valid");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(contains(result.reason, "typed"));
  CHECK(contains(result.reason, "date of birth is wrong (printed 3, computed 2)"));
}

TEST_CASE("a typed MRZ that is right passes and says it was typed") {
  InspectionFacts facts = facts_for(passport());
  facts.source = MrzSource::Typed;
  const auto result = run(facts, "mrz.valid");
  CHECK(result.status == CheckStatus::Pass);
  CHECK(contains(result.reason, "typed"));
}

TEST_CASE("details typed from the visual zone leave the MRZ check not run") {
  const auto result = run(typed_from_visual_zone(), "mrz.valid");
  CHECK(result.status == CheckStatus::NotRun);
  CHECK(contains(result.reason, "visual zone"));
}

// --- mrz.legible -------------------------------------------------------------------------------

TEST_CASE("an optical read the scanner was unsure of asks to confirm the fields") {
  InspectionFacts facts = facts_for(passport());
  facts.optical_needs_review = true;
  facts.uncertain_fields = {"name", "sex"};
  const auto result = run(facts, "mrz.legible");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(contains(result.reason, "confirm the name and the sex"));
  CHECK(result.measurement == "uncertain: name, sex");
  CHECK(inspect(facts, Rules{}).headline == "Review: confirm the name and the sex against the page.");
}

TEST_CASE("an optical read the scanner vouched for passes the legibility check") {
  CHECK(run(facts_for(passport()), "mrz.legible").status == CheckStatus::Pass);
}

TEST_CASE("a typed MRZ has no legibility to check") {
  InspectionFacts facts = facts_for(passport());
  facts.source = MrzSource::Typed;
  CHECK(run(facts, "mrz.legible").status == CheckStatus::NotRun);
  CHECK(inspect(facts, Rules{}).headline == "Every check passes.");
}

TEST_CASE("an MRZ sent as text by an MRZ reader is checked as read, not as typed, and has no legibility to check") {
  const auto facts = wrong_birth_check_digit(MrzSource::TextReader);
  const auto valid = run(facts, "mrz.valid");
  CHECK(valid.status == CheckStatus::Fail);
  CHECK_FALSE(contains(valid.reason, "typed"));  // no typing mistake to suspect: the reader read it
  const auto legible = run(facts, "mrz.legible");
  CHECK(legible.status == CheckStatus::NotRun);
  CHECK(legible.reason_phrase.key == "reason.mrz.legible.text_reader");
}

TEST_CASE("an optical read needing review without named fields asks to compare the whole MRZ") {
  InspectionFacts facts = facts_for(passport());
  facts.optical_needs_review = true;
  const auto result = run(facts, "mrz.legible");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(contains(result.reason, "compare the MRZ with the data page"));
}

TEST_CASE("an optical read that found no MRZ leaves both MRZ checks not run") {
  InspectionFacts facts = facts_for(mrz::parse("not an MRZ at all"));
  CHECK(run(facts, "mrz.valid").status == CheckStatus::NotRun);
  CHECK(run(facts, "mrz.legible").status == CheckStatus::NotRun);
}

// --- document.expired and document.expires_soon ------------------------------------------------

TEST_CASE("a document that expired across the year end fails with the date and the days") {
  const auto crossing = day(2024, 1, 2);
  const auto result = run(facts_for(passport({.expiry = date(2023, 12, 31)}, crossing), crossing), "document.expired");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.reason == "Expired on 2023-12-31 (2 days ago).");
}

TEST_CASE("a document that expired on a leap day counts the 29th of February") {
  const auto crossing = day(2024, 3, 1);
  const auto result = run(facts_for(passport({.expiry = date(2024, 2, 29)}, crossing), crossing), "document.expired");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.reason == "Expired on 2024-02-29 (1 day ago).");
}

TEST_CASE("a document is still valid on its day of expiry") {
  InspectionFacts facts = facts_for(passport({.expiry = date(2024, 6, 15)}));
  CHECK(run(facts, "document.expired").status == CheckStatus::Pass);
  const auto soon = run(facts, "document.expires_soon");
  CHECK(soon.status == CheckStatus::Warn);
  CHECK(soon.reason == "Expires on 2024-06-15, today.");
}

TEST_CASE("an unknown date of expiry leaves both expiry checks not run") {
  mrz::Document typed;  // expiry not given
  typed.surname.value = "ERIKSSON";
  const InspectionFacts facts = typed_from_visual_zone(typed);
  CHECK(run(facts, "document.expired").status == CheckStatus::NotRun);
  CHECK(run(facts, "document.expires_soon").status == CheckStatus::NotRun);
}

TEST_CASE("a document that expires within the warning window warns with the days left") {
  const auto result = run(facts_for(passport({.expiry = date(2024, 12, 12)})), "document.expires_soon");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(result.reason == "Expires on 2024-12-12, in 180 days.");
  CHECK(result.measurement == "expires in 180 days");
}

TEST_CASE("a document that expires after the warning window passes") {
  CHECK(run(facts_for(passport({.expiry = date(2024, 12, 13)})), "document.expires_soon").status == CheckStatus::Pass);
  Rules rules;
  rules.expires_soon_days = 30;
  CHECK(run(facts_for(passport({.expiry = date(2024, 7, 16)})), "document.expires_soon", rules).status ==
        CheckStatus::Pass);
  CHECK(run(facts_for(passport({.expiry = date(2024, 7, 15)})), "document.expires_soon", rules).status ==
        CheckStatus::Warn);
}

TEST_CASE("an expired document is not also reported as expiring soon") {
  const auto result = run(facts_for(passport({.expiry = date(2024, 6, 14)})), "document.expires_soon");
  CHECK(result.status == CheckStatus::NotRun);
  CHECK(result.reason == "The document has already expired.");
}

// --- document.code_known -----------------------------------------------------------------------

TEST_CASE("known ICAO codes pass including Germany's D") {
  const auto result = run(facts_for(passport({.issuer = "D", .nationality = "D"})), "document.code_known");
  CHECK(result.status == CheckStatus::Pass);
  CHECK(contains(result.reason, "(Germany)"));
}

TEST_CASE("an unknown nationality code warns") {
  const auto result = run(facts_for(passport({.nationality = "ZZZ"})), "document.code_known");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(result.reason == "The nationality code ZZZ is not an ICAO code.");
}

TEST_CASE("a document without codes leaves the code check not run") {
  CHECK(run(facts_for(mrz::Document{}), "document.code_known").status == CheckStatus::NotRun);
}

// --- traveller.minor ---------------------------------------------------------------------------

TEST_CASE("a minor raises an alert and asks for the companion or the authorisation") {
  const Verdict verdict = inspect(facts_for(passport({.birth = date(2008, 1, 1)})), Rules{});
  const auto& result = check(verdict, "traveller.minor");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(result.alert);
  CHECK(result.measurement == "age 16");
  CHECK(contains(result.reason, "accompanying adult"));
  CHECK(contains(result.reason, "travel authorisation"));
  CHECK(verdict.minor);
}

TEST_CASE("a traveller comes of age on the eighteenth birthday") {
  CHECK(run(facts_for(passport({.birth = date(2006, 6, 15)})), "traveller.minor").status == CheckStatus::Pass);
  CHECK(run(facts_for(passport({.birth = date(2006, 6, 16)})), "traveller.minor").status == CheckStatus::Warn);
}

TEST_CASE("an adult passes with the age measured") {
  const auto result = run(facts_for(passport()), "traveller.minor");
  CHECK(result.status == CheckStatus::Pass);
  CHECK(result.measurement == "age 49");
}

TEST_CASE("the age of majority comes from the rules") {
  Rules rules;
  rules.age_of_majority = 21;
  CHECK(run(facts_for(passport({.birth = date(2004, 1, 1)})), "traveller.minor", rules).status == CheckStatus::Warn);
}

TEST_CASE("an incomplete date of birth leaves the minor check not run") {
  const auto result = run(facts_for(passport({.birth = date(1974, kUnknown, kUnknown)})), "traveller.minor");
  CHECK(result.status == CheckStatus::NotRun);
  CHECK(contains(result.reason, "1974-XX-XX"));
}

TEST_CASE("an unknown date of birth typed from the visual zone leaves the minor check not run") {
  const auto result = run(typed_from_visual_zone(), "traveller.minor");
  CHECK(result.status == CheckStatus::NotRun);
  CHECK(result.reason == "The date of birth is unknown, so the age cannot be worked out.");
}

TEST_CASE("age counts whole years across the year end") {
  const auto birth = date(2006, 12, 31);
  CHECK(age_on(birth, day(2024, 12, 30)) == 17);
  CHECK(age_on(birth, day(2024, 12, 31)) == 18);
  CHECK(age_on(birth, day(2025, 1, 1)) == 18);
  CHECK(age_on(date(2007, 1, 1), day(2024, 12, 31)) == 17);
  CHECK(age_on(date(2007, 1, 1), day(2025, 1, 1)) == 18);
}

TEST_CASE("someone born on the 29th of February comes of age on the 1st of March in common years") {
  const auto birth = date(2008, 2, 29);
  CHECK(age_on(birth, day(2026, 2, 28)) == 17);
  CHECK(age_on(birth, day(2026, 3, 1)) == 18);
  CHECK(age_on(birth, day(2028, 2, 28)) == 19);
  CHECK(age_on(birth, day(2028, 2, 29)) == 20);
  CHECK(age_on(birth, day(2008, 2, 29)) == 0);
}

TEST_CASE("age is unknown for an incomplete birth date or one after the day") {
  CHECK_FALSE(age_on(date(1974, kUnknown, kUnknown), kCrossing).has_value());
  CHECK_FALSE(age_on(date(kUnknown, 8, 12), kCrossing).has_value());
  CHECK_FALSE(age_on(date(2025, 1, 1), kCrossing).has_value());
}

// --- watchlist.document ------------------------------------------------------------------------

TEST_CASE("a document on the watch-list fails with an alert and the entry's reason") {
  InspectionFacts facts = facts_for(passport());
  facts.document_hits.push_back(listed_document("L898902C3", "reported stolen"));
  const Verdict verdict = inspect(facts, Rules{});
  const auto& result = check(verdict, "watchlist.document");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.alert);
  CHECK(contains(result.reason, "reported stolen"));
  CHECK(verdict.headline == "Attention: document on the watch-list (reported stolen).");
}

TEST_CASE("a document not on the watch-list passes") {
  CHECK(run(facts_for(passport()), "watchlist.document").status == CheckStatus::Pass);
}

// --- watchlist.person --------------------------------------------------------------------------

TEST_CASE("a traveller who matches a watch-listed person fails with an alert") {
  InspectionFacts facts = facts_for(passport());
  facts.watchlist_persons.push_back(listed_person("Smith", "John", "1980-01-01", "GBR"));
  facts.watchlist_persons.push_back(listed_person("ERIKSSON", "ANNA MARIA", "1974-08-12", "UTO"));
  const auto result = run(facts, "watchlist.person");
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.alert);
  CHECK(result.measurement == "score 1.00");
  CHECK(contains(result.reason, "Interpol red notice"));
  CHECK_FALSE(contains(result.reason, "1974-08-12"));  // the listed person's details stay out of the logs
}

TEST_CASE("a possible match with a watch-listed person warns and asks to compare") {
  InspectionFacts facts = facts_for(passport());
  facts.watchlist_persons.push_back(
      listed_person("ERIKSSON", "ANNA MARIA", "1974-08-12", "SWE"));  // another nationality
  const auto result = run(facts, "watchlist.person");
  CHECK(result.status == CheckStatus::Warn);
  CHECK(result.alert);
  CHECK(result.measurement == "score 0.80");
  CHECK(contains(result.reason, "compare"));
}

TEST_CASE("a traveller unlike every watch-listed person passes") {
  InspectionFacts facts = facts_for(passport());
  CHECK(run(facts, "watchlist.person").status == CheckStatus::Pass);
  facts.watchlist_persons.push_back(listed_person("Smith", "John", "1980-01-01", "GBR"));
  const auto result = run(facts, "watchlist.person");
  CHECK(result.status == CheckStatus::Pass);
  CHECK_FALSE(result.alert);
}

TEST_CASE("a document without a name leaves the person check not run") {
  InspectionFacts facts = facts_for(mrz::Document{});
  facts.watchlist_persons.push_back(listed_person("Smith", "John", "1980-01-01", "GBR"));
  CHECK(run(facts, "watchlist.person").status == CheckStatus::NotRun);
}

// --- person_match_score ------------------------------------------------------------------------

TEST_CASE("person match: the same person scores at least 0.95") {
  CHECK(person_match_score(listed_person("Eriksson", "Anna Maria", "1974-08-12", "UTO"), passport()) >= 0.95);
}

TEST_CASE("person match: umlauts written UE or dropped still match") {
  const auto listed = listed_person("M\u00fcller", "J\u00fcrgen", "1974-08-12", "DEU");
  CHECK(person_match_score(listed, passport({.surname = "Mueller", .given_names = "Juergen", .nationality = "D"})) >=
        0.85);
  CHECK(person_match_score(listed, passport({.surname = "Muller", .given_names = "Jurgen", .nationality = "D"})) >=
        0.85);
  CHECK(person_match_score(listed_person("Muller", "Jurgen", "1974-08-12", "D"),
                           passport({.surname = "M\u00fcller", .given_names = "J\u00fcrgen", .nationality = "D"})) >=
        0.85);
}

TEST_CASE("person match: an enye and an acute accent transliterate to plain letters") {
  CHECK(person_match_score(listed_person("Nu\u00f1ez", "Jos\u00e9", "1974-08-12", "ARG"),
                           passport({.surname = "NUNEZ", .given_names = "JOSE", .nationality = "ARG"})) >= 0.95);
}

TEST_CASE("person match: surname and given names in swapped order score high") {
  CHECK(person_match_score(listed_person("Anna Maria", "Eriksson", "1974-08-12", "UTO"), passport()) >= 0.85);
}

TEST_CASE("person match: OCR confusions of digits for letters score high") {
  // The scanner read J0HN SM1TH; a list typed with the same confusion matches too.
  const auto listed = listed_person("Smith", "John", "1974-08-12", "UTO");
  mrz::Document read = passport({.surname = "Smith", .given_names = "John"});
  read.surname.value = "SM1TH";
  read.given_names.value = "J0HN";
  CHECK(person_match_score(listed, read) >= 0.85);
  CHECK(person_match_score(listed_person("5MITH", "J0HN", "1974-08-12", "UTO"),
                           passport({.surname = "Smith", .given_names = "John"})) >= 0.85);
}

TEST_CASE("person match: a missing middle name still scores high") {
  CHECK(person_match_score(listed_person("Eriksson", "Anna", "1974-08-12", "UTO"), passport()) >= 0.85);
}

TEST_CASE("person match: a different person with the same birth date scores below 0.7") {
  CHECK(person_match_score(listed_person("Smith", "John", "1974-08-12", "UTO"), passport()) < 0.7);
  CHECK(person_match_score(listed_person("Svensson", "Karl", "1974-08-12", "UTO"), passport()) < 0.7);
  CHECK(person_match_score(listed_person("Smith", "Anna", "1974-08-12", "UTO"), passport()) < 0.7);  // same given name
}

TEST_CASE("person match: a misspelt or truncated name part still scores high") {
  CHECK(person_match_score(listed_person("Erikson", "Anna Maria", "1974-08-12", "UTO"), passport()) >= 0.85);
  CHECK(person_match_score(listed_person("Ericsson", "Ana Maria", "1974-08-12", "UTO"), passport()) >= 0.85);
  CHECK(person_match_score(listed_person("Eriksson", "Anna Mar", "1974-08-12", "UTO"), passport()) >= 0.85);
}

TEST_CASE("person match: the same name with another birth date stays below the alert score") {
  const double score = person_match_score(listed_person("Eriksson", "Anna Maria", "1975-08-12", "UTO"), passport());
  CHECK(score < Rules{}.person_alert_score);
  CHECK(score < Rules{}.person_review_score);
}

TEST_CASE("person match: an unknown birth date on the list still scores high on the name") {
  CHECK(person_match_score(listed_person("Eriksson", "Anna Maria", "", "UTO"), passport()) >=
        Rules{}.person_alert_score);
  CHECK(person_match_score(listed_person("Eriksson", "Anna Maria", "", ""), passport()) >= Rules{}.person_alert_score);
}

TEST_CASE("person match: unknown birth date parts match anything") {
  const double partly = person_match_score(listed_person("Eriksson", "Anna Maria", "1974-XX-XX", "UTO"), passport());
  CHECK(partly >= Rules{}.person_alert_score);
  CHECK(partly < person_match_score(listed_person("Eriksson", "Anna Maria", "1974-08-12", "UTO"), passport()));
  CHECK(person_match_score(listed_person("Eriksson", "Anna Maria", "1974-08-12", "UTO"),
                           passport({.birth = date(1974, kUnknown, kUnknown)})) >= Rules{}.person_alert_score);
}

TEST_CASE("person match: a different nationality lowers the score") {
  const double same = person_match_score(listed_person("Eriksson", "Anna Maria", "1974-08-12", "UTO"), passport());
  const double other = person_match_score(listed_person("Eriksson", "Anna Maria", "1974-08-12", "SWE"), passport());
  CHECK(other < same);
  CHECK(other >= Rules{}.person_review_score);
}

TEST_CASE("person match: the score stays between 0 and 1") {
  CHECK(person_match_score(listed_person("", "", "", ""), passport()) == 0.0);
  CHECK(person_match_score(listed_person("Eriksson", "", "", ""), mrz::Document{}) == 0.0);
  const double s = person_match_score(listed_person("Q", "X", "1900-01-01", "ZZZ"), passport());
  CHECK(s >= 0.0);
  CHECK(s <= 1.0);
}

// --- movement.sequence -------------------------------------------------------------------------

TEST_CASE("a crossing in the direction of the last one at this post warns that the other was not recorded") {
  struct Case {
    const char* description;
    Direction direction;  // of this crossing and of the last one
    const char* reason;
  };
  for (const auto& c : {Case{"an entry after an entry warns that no exit was recorded", Direction::entry,
                             "No exit recorded since the entry on 2024-05-01."},
                        Case{"an exit after an exit warns that no entry was recorded", Direction::exit,
                             "No entry recorded since the exit on 2024-05-01."}}) {
    INFO(c.description);
    const auto result = sequence_check(c.direction, PreviousMovement{c.direction, day(2024, 5, 1)});
    CHECK(result.status == CheckStatus::Warn);
    CHECK(result.alert);
    CHECK(result.reason == c.reason);
  }
}

TEST_CASE("an entry after an exit or a first entry passes the sequence check") {
  CHECK(sequence_check(Direction::entry).status == CheckStatus::Pass);
  CHECK(sequence_check(Direction::entry, PreviousMovement{Direction::exit, day(2024, 5, 1)}).status == CheckStatus::Pass);
}

TEST_CASE("an exit with no entry recorded at this post warns") {
  const auto result = sequence_check(Direction::exit);
  CHECK(result.status == CheckStatus::Warn);
  CHECK(contains(result.reason, "No entry recorded at this post"));
}

TEST_CASE("an exit after an entry passes the sequence check") {
  CHECK(sequence_check(Direction::exit, PreviousMovement{Direction::entry, day(2024, 5, 1)}).status == CheckStatus::Pass);
}

TEST_CASE("no direction leaves the sequence check not run") {
  InspectionFacts facts = facts_for(passport());
  facts.direction = std::nullopt;
  CHECK(run(facts, "movement.sequence").status == CheckStatus::NotRun);
  CHECK(run(facts, "stay.overstay").status == CheckStatus::NotRun);
}

TEST_CASE("a direction other than entry or exit never reaches the checks: only entry and exit are named") {
  CHECK(direction_named("entry") == Direction::entry);
  CHECK(direction_named("exit") == Direction::exit);
  CHECK_FALSE(direction_named("transit"));
  CHECK_FALSE(direction_named(""));
  CHECK(to_string(Direction::entry) == "entry");
  CHECK(to_string(Direction::exit) == "exit");
}

TEST_CASE("check statuses and MRZ sources are words only where they are stored or sent") {
  for (const auto status : {CheckStatus::Pass, CheckStatus::Warn, CheckStatus::Fail, CheckStatus::NotRun})
    CHECK(check_status_named(to_string(status)) == status);
  CHECK_FALSE(check_status_named("ok"));
  for (const auto source : {MrzSource::Optical, MrzSource::Typed, MrzSource::VizTyped, MrzSource::TextReader})
    CHECK(mrz_source_named(to_string(source)) == source);
  CHECK_FALSE(mrz_source_named("scanner"));
}

// --- stay.overstay -----------------------------------------------------------------------------

TEST_CASE("a stay longer than the group permits fails with an alert") {
  // 2024 is a leap year: 29 days in February.
  const auto result = overstay_check("ARG", day(2024, 1, 1), day(2024, 4, 30));
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.alert);
  CHECK(result.measurement == "stayed 120 days, permitted 90 (MERCOSUR)");
  CHECK(contains(result.reason, "30 days more than the 90 permitted"));
}

TEST_CASE("a stay within the permitted days passes") {
  const auto result = overstay_check("ARG", day(2024, 1, 1), day(2024, 3, 31));
  CHECK(result.status == CheckStatus::Pass);
  CHECK(result.measurement == "stayed 90 days, permitted 90 (MERCOSUR)");
}

TEST_CASE("a nationality in no group gets the default stay") {
  const auto result = overstay_check("GBR", day(2023, 12, 1), day(2024, 1, 5));
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.measurement == "stayed 35 days, permitted 30 (default)");
}

TEST_CASE("the overstay check applies to exits only") {
  const auto result = run(facts_for(passport()), "stay.overstay");
  CHECK(result.status == CheckStatus::NotRun);
  CHECK(contains(result.reason, "exits"));
}

TEST_CASE("an exit with no matching entry leaves the overstay check not run") {
  InspectionFacts facts = facts_for(passport());
  facts.direction = Direction::exit;
  CHECK(run(facts, "stay.overstay").status == CheckStatus::NotRun);
  facts.previous = PreviousMovement{Direction::exit, day(2024, 5, 1)};
  CHECK(run(facts, "stay.overstay").status == CheckStatus::NotRun);
}
