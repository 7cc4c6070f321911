// The pages' message files (station/web/i18n/LANG.json) against what the daemon says: every
// language has the same messages, every phrase key the daemon can send has a message in each,
// and every value a message names is one the phrase carries.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspection_support.hpp"
#include "mrz/mrz.hpp"
#include "inspection/inspection.hpp"

using namespace borderpost::station;
namespace fs = std::filesystem;
using namespace inspection_support;

namespace {

const fs::path kSource = BORDERPOST_SOURCE_DIR;
const char* const kLanguages[] = {"es", "pt", "en", "fr"};

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, std::map<std::string, std::string>> message_files() {
  std::map<std::string, std::map<std::string, std::string>> files;
  for (const char* language : kLanguages) {
    const auto j = nlohmann::json::parse(read_text(kSource / "station/web/i18n" / (std::string(language) + ".json")));
    for (const auto& [key, value] : j.items()) files[language][key] = value.get<std::string>();
  }
  return files;
}

// The index of the brace that closes the one at `open`, or npos.
std::size_t closing(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// The values a message names, read as the pages' formatter (i18n.js) reads it: {name},
// {name, type}, and in the branches of {name, plural, ...} and {name, select, ...}.
void named_values(std::string_view message, std::set<std::string>& names) {
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] != '{') continue;
    const auto end = closing(message, i);
    if (end == std::string_view::npos) return;
    const auto body = message.substr(i + 1, end - i - 1);
    const auto comma = body.find(',');
    names.insert(std::string(trimmed(body.substr(0, comma))));
    if (comma != std::string_view::npos) {
      const auto rest = body.substr(comma + 1);
      const auto second = rest.find(',');
      const auto type = trimmed(rest.substr(0, second));
      if ((type == "plural" || type == "select") && second != std::string_view::npos) {
        const auto branches = rest.substr(second + 1);
        for (std::size_t j = branches.find('{'); j != std::string_view::npos; j = branches.find('{', j)) {
          const auto close = closing(branches, j);
          if (close == std::string_view::npos) break;
          named_values(branches.substr(j + 1, close - j - 1), names);
          j = close + 1;
        }
      }
    }
    i = end;
  }
}

std::set<std::string> named_values(const std::string& message) {
  std::set<std::string> names;
  named_values(std::string_view(message), names);
  return names;
}

void collect(const Phrase& phrase, std::vector<Phrase>& out) {
  if (!phrase.key.empty()) out.push_back(phrase);
  for (const auto& part : phrase.parts) collect(part, out);
}

// Every kind of inspection an inspector meets: each check's every outcome occurs at least once.
std::vector<Phrase> inspection_phrases() {
  std::vector<InspectionFacts> cases;
  InspectionFacts base;
  base.document = passport();
  base.crossing_date = kCrossing;
  base.direction = Direction::entry;
  cases.push_back(base);
  using Way = std::optional<Direction>;
  constexpr Way none, entry = Direction::entry, exit = Direction::exit;
  for (auto [direction, previous] : std::vector<std::pair<Way, Way>>{
           {none, none}, {entry, entry}, {entry, exit}, {exit, none}, {exit, exit}, {exit, entry}}) {
    auto c = base;
    c.direction = direction;
    if (previous) c.previous = PreviousMovement{*previous, day(2023, 1, 2)};
    cases.push_back(c);
  }
  auto within = base;
  within.direction = Direction::exit;
  within.previous = PreviousMovement{Direction::entry, day(2024, 6, 1)};
  cases.push_back(within);
  for (auto [birth, expiry] : std::vector<std::pair<mrz::Date, mrz::Date>>{{date(2010, 1, 1), date(2024, 1, 1)},
                                                                          {date(1974, 0, 0), date(2024, 6, 15)},
                                                                          {date(0, 0, 0), date(2024, 7, 1)}}) {
    auto c = base;
    c.document = passport({.birth = birth, .expiry = expiry});
    cases.push_back(c);
  }
  auto unborn = base;
  unborn.crossing_date = day(1970, 1, 1);
  cases.push_back(unborn);
  auto unknown_code = base;
  unknown_code.document = passport({.nationality = "ZZZ"});
  cases.push_back(unknown_code);
  auto no_codes = base;
  no_codes.document.issuing_state.value.clear();
  no_codes.document.nationality.value.clear();
  no_codes.document.expiry_date = {};
  cases.push_back(no_codes);
  auto one_code = base;
  one_code.document.nationality.value.clear();
  cases.push_back(one_code);
  auto unsure = base;
  unsure.optical_needs_review = true;
  cases.push_back(unsure);
  unsure.uncertain_fields = {"birth_date", "composite"};
  cases.push_back(unsure);
  auto listed_case = base;
  listed_case.document_hits = {listed_document("L898902C3", "stolen"), listed_document("L898902C3", "")};
  listed_case.watchlist_persons = {listed_person("ERIKSSON", "ANNA MARIA", "", "")};
  cases.push_back(listed_case);
  auto resembles = base;
  // All but the nationality: a possible match, and an entry without a reason.
  resembles.watchlist_persons = {listed_person("ERIKSSON", "ANNA MARIA", "1974-08-12", "SWE")};
  resembles.watchlist_persons[0].reason.clear();
  cases.push_back(resembles);
  resembles.watchlist_persons = {listed_person("SMITH", "JOHN", "", "")};
  cases.push_back(resembles);
  auto nameless = base;
  nameless.document.surname.value.clear();
  nameless.document.given_names.value.clear();
  cases.push_back(nameless);
  for (auto source : {MrzSource::Typed, MrzSource::VizTyped, MrzSource::TextReader}) {
    auto typed = base;
    typed.source = source;
    cases.push_back(typed);
    typed.document = mrz::parse(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C31UTO7408122F1204159ZE184226B<<<<<18", mrz::ParseOptions{kCrossing});
    cases.push_back(typed);
    typed.document = mrz::parse("not an MRZ", mrz::ParseOptions{kCrossing});
    cases.push_back(typed);
  }
  auto unread = base;
  unread.document = mrz::parse("", mrz::ParseOptions{kCrossing});
  cases.push_back(unread);
  // The chip: every state, every outcome of each chip check.
  using borderpost::station::emrtd::ChipReport;
  using borderpost::station::emrtd::PassiveAuthentication;
  for (auto state : {ChipFacts::State::no_reader, ChipFacts::State::no_keys, ChipFacts::State::reading, ChipFacts::State::absent,
                     ChipFacts::State::unavailable}) {
    auto c = base;
    c.chip.state = state;
    c.chip.detail = "no reader";
    cases.push_back(c);
  }
  const auto verified = verified_chip(base.document);
  std::vector<ChipFacts> chips(12, verified);
  chips[0].report.outcome = ChipReport::Outcome::access_denied;
  chips[1].report.outcome = ChipReport::Outcome::broken_off;
  chips[1].report.passive.reset();
  chips[1].report.dg1_mrz.clear();
  chips[1].report.active_auth = ChipReport::ActiveAuth::not_offered;
  chips[2].report.access.fallback_reason = "6A80";
  chips[2].report.passive->signature = PassiveAuthentication::Signature::invalid;
  chips[2].report.passive->hashes[1].state = PassiveAuthentication::GroupHash::State::differs;
  chips[2].report.active_auth = ChipReport::ActiveAuth::invalid;
  chips[3].report.passive.reset();
  chips[3].report.passive_error = "no EF.SOD";
  chips[4].report.passive->certificate = PassiveAuthentication::Certificate::unknown_csca;
  chips[4].report.active_auth = ChipReport::ActiveAuth::failed;
  chips[5].report.passive->certificate = PassiveAuthentication::Certificate::csca_expired;
  chips[5].report.passive->hashes.clear();
  chips[6].report.passive->certificate = PassiveAuthentication::Certificate::ds_expired;
  chips[6].report.dg1_mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
  chips[7].report.passive->certificate = PassiveAuthentication::Certificate::invalid;
  chips[8].report.passive->ds_country = "DE";
  chips[9].report.active_auth = ChipReport::ActiveAuth::not_offered;
  chips[10].report.dg1_mrz.clear();
  chips[11].report.chip_auth = ChipReport::ChipAuth::valid;
  for (auto chip_auth : {ChipReport::ChipAuth::failed, ChipReport::ChipAuth::not_run}) {
    auto c = verified;
    c.report.active_auth = ChipReport::ActiveAuth::not_offered;
    c.report.chip_auth = chip_auth;
    c.report.chip_auth_detail = "6A80";
    chips.push_back(c);
  }
  chips.push_back(verified);
  chips.back().report.active_auth = ChipReport::ActiveAuth::not_offered;
  chips.back().report.chip_auth = ChipReport::ChipAuth::valid;
  for (const auto& chip : chips) {
    auto c = base;
    c.chip = chip;
    cases.push_back(c);
  }
  auto typed_chip = base;
  typed_chip.source = MrzSource::Typed;
  typed_chip.chip = chips[6];
  cases.push_back(typed_chip);
  typed_chip.chip = verified;
  cases.push_back(typed_chip);

  // The page's security features: every reason they may not be measured, and every outcome.
  for (auto why : {NotMeasured::no_page_images, NotMeasured::text_only, NotMeasured::no_light, NotMeasured::lamp_failed, NotMeasured::no_mrz_position, NotMeasured::other_side,
                   NotMeasured::image_unusable, NotMeasured::no_ocr, NotMeasured::no_face_model}) {
    auto c = base;
    c.security = unmeasured_page(why);
    cases.push_back(c);
  }
  std::vector<SecurityFacts> pages(6, genuine_page());
  pages[0].ir_mrz.contrast = 0.1;
  pages[0].uv.page_brightness = 0.9;
  pages[0].portrait.faces = 0;
  pages[0].viz.disagree = {"surname", "birth_date"};
  pages[0].print.pitch_mm = 2.2;
  pages[0].print.line_spacing_mm = 3.0;
  pages[0].print.left_mm = 2.0;
  pages[0].print.skew_degrees = 4.0;
  pages[1].ir_mrz.read = false;
  pages[1].uv.mrz_zone_brightness = 0.9;
  pages[1].viz.characters_read = 3;
  pages[1].print.left_mm.reset();
  pages[1].print.skew_degrees.reset();
  pages[2].ir_mrz.same_as_white = false;
  pages[2].viz.agree.clear();
  pages[3].ir_mrz.same_as_white = false;
  pages[3].ir_mrz.both_certain = false;
  for (const auto& page : pages) {
    auto c = base;
    c.security = page;
    cases.push_back(c);
  }

  Rules rules;
  rules.stays = {{"MERCOSUR", {"UTO"}, 90}};
  std::vector<Phrase> phrases;
  for (const auto& facts : cases) {
    for (const auto& check : inspect(facts, rules).checks) {
      collect(check.reason_phrase, phrases);
      collect(check.measurement_phrase, phrases);
    }
  }
  rules.stays.clear();  // the post's general rule, and an overstay under it
  auto overstay = base;
  overstay.direction = Direction::exit;
  overstay.previous = PreviousMovement{Direction::entry, day(2023, 1, 2)};
  for (const auto& check : inspect(overstay, rules).checks) collect(check.reason_phrase, phrases);
  return phrases;
}

// The problems the MRZ engine reports on malformed input, typed MRZs and data page fields.
std::vector<Phrase> problem_phrases() {
  const char* inputs[] = {
      "",
      "one line",
      "a\nb\nc\nd",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C3",
      "p<utoeriksson<<anna<maria  «««««««««««««««««««\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10XY",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<\nL898902C36UTO7408122F12041",
      "X<ZZZ<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nL8989#2C3XU<O7413322F120415XZE184226B<<<<<1<",
      "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
      "AVUTOD23145890<<<<<<<<<<<<<<<<\n7408002F0013319U<O<<<<<<<<<<<6\n<ERIKSSON<<ANNA<<MARIA<<<<<<<<",
      "ACUTOD23145890<<<<<<<<<<<<<<<<<<<<<\nERIKSSONANNAMARIASOPHIEELIZABETHABCD",
      "AIUTOABCDEFGHI<ABC<<<<<<<<<<<<<\n7402302F3004159UTO<<<<<<<<<<<6\nERIKSSONANNAMARIASOPHIEELIZABE",
      "I<UTOD23145890<123<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
      "I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
      "I<UTOD2314589<<1234567890123456\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
      "P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n<<<<<<<<<<UTO8AB122F9902319<<<<<<<<<<<<<<<<",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F7402299ZE184226B<<<<<1X",
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36\xC3\xA9TO7408122F120415\xE2\x80\xB9ZE184226B<<<<<10",
  };
  std::vector<Phrase> phrases;
  for (const char* input : inputs) {
    for (const auto& problem : mrz::parse(input, mrz::ParseOptions{kCrossing}).problems) collect(problem_phrase(problem), phrases);
  }
  mrz::DocumentFields bad;
  bad.format = mrz::Format::TD2;
  bad.document_code = "PXX";
  bad.issuing_state = "U1";
  bad.nationality = "QQQ";
  bad.surname = "Ñandú ß";
  bad.given_names = "Very Long Given Names That Do Not Fit Anywhere";
  bad.document_number = "12345678901234";
  bad.birth_date = date(2001, 2, 30);
  bad.expiry_date = date(2030, 0, 0);
  bad.sex = 'Q';
  bad.optional_data_2 = "X";
  for (auto format : {mrz::Format::TD2, mrz::Format::TD1, mrz::Format::Unknown}) {
    bad.format = format;
    for (const auto& problem : mrz::format(bad).problems) collect(problem_phrase(problem), phrases);
  }
  bad.format = mrz::Format::TD1;
  bad.document_code = "";
  bad.surname = "";
  bad.optional_data = std::string(40, 'A');
  for (const auto& problem : mrz::format(bad).problems) collect(problem_phrase(problem), phrases);
  return phrases;
}

// Message keys written out in the daemon's sources ("error.login.wrong"); the engine's problem
// codes, which become "problem.<code>", are checked through problem_phrases().
std::set<std::string> keys_in_sources() {
  const std::string_view prefixes[] = {"reason.", "measure.", "error.", "desk.message."};
  auto key_char = [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; };
  std::set<std::string> keys;
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "station")) {
    const auto ext = entry.path().extension();
    const auto part = entry.path().lexically_relative(kSource / "station").begin()->string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp") || part == "cli" || part == "apps" || part == "tools") continue;
    const auto text = read_text(entry.path());
    for (auto quote = text.find('"'); quote != std::string::npos; quote = text.find('"', quote + 1)) {
      const std::string_view rest = std::string_view(text).substr(quote + 1);
      std::size_t end = 0;
      while (end < rest.size() && key_char(rest[end])) ++end;
      if (end == rest.size() || rest[end] != '"') continue;
      const auto literal = rest.substr(0, end);
      for (const auto prefix : prefixes)
        if (literal.starts_with(prefix) && literal.size() > prefix.size() && literal.back() != '.') keys.insert(std::string(literal));
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("every language has the same messages, none of them empty") {
  const auto files = message_files();
  const auto& spanish = files.at("es");
  CHECK(spanish.size() > 300);
  for (const auto& entry_language : files) {  // named, not bound: clang 14 lambdas cannot capture bindings
    const auto& language = entry_language.first;
    const auto& messages = entry_language.second;
    INFO("language " << language);
    for (const auto& entry_key : spanish) {  // named, not bound: clang 14 lambdas cannot capture bindings
      const auto& key = entry_key.first;
      CHECK_MESSAGE(messages.count(key) == 1, "missing " << key);
      if (messages.count(key)) CHECK_MESSAGE(!messages.at(key).empty(), "empty " << key);
    }
    CHECK(messages.size() == spanish.size());
  }
}

TEST_CASE("every phrase of a check, a measurement or an MRZ problem has its message in each language, naming only its values") {
  const auto files = message_files();
  auto phrases = inspection_phrases();
  const auto problems = problem_phrases();
  phrases.insert(phrases.end(), problems.begin(), problems.end());
  std::set<std::string> seen;
  for (const auto& phrase : phrases) {
    seen.insert(phrase.key);
    std::set<std::string> given;
    for (const auto& [name, value] : phrase.args) given.insert(name);
    for (const auto& entry_language : files) {  // named, not bound: clang 14 lambdas cannot capture bindings
      const auto& language = entry_language.first;
      const auto& messages = entry_language.second;
      INFO("language " << language << ", key " << phrase.key);
      const auto found = messages.find(phrase.key);
      REQUIRE_MESSAGE(found != messages.end(), "no message " << phrase.key << " in " << language);
      for (const auto& name : named_values(found->second)) CHECK_MESSAGE(given.count(name) == 1, "the phrase lacks {" << name << "}");
    }
  }
  // The scenarios reach every outcome of every check and the common MRZ problems.
  for (const char* key : {"reason.stay.overstay.fail", "reason.watchlist.person.warn", "reason.watchlist.person.why",
                          "reason.mrz.legible.unsure_fields", "reason.mrz.valid.typed_fail", "measure.expires_in",
                          "problem.check_digit.wrong", "problem.date.no_such_day_in_month", "problem.line.padded",
                          "problem.format.sex", "problem.character.not_allowed", "problem.input.guillemets"})
    CHECK_MESSAGE(seen.count(key) == 1, "no scenario says " << std::string(key));
  std::size_t reasons = 0;
  for (const auto& key : seen) reasons += key.starts_with("reason.") ? 1 : 0;
  CHECK(reasons >= 40);
}

TEST_CASE("every message key written in the daemon's sources has a message in each language") {
  const auto files = message_files();
  const auto keys = keys_in_sources();
  CHECK(keys.size() > 60);
  for (const auto& key : keys) {
    for (const auto& entry_language : files) {  // named, not bound: clang 14 lambdas cannot capture bindings
      const auto& language = entry_language.first;
      const auto& messages = entry_language.second;
      CHECK_MESSAGE(messages.count(key) == 1, "no message " << key << " in " << language);
    }
  }
}
