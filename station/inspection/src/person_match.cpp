// How closely a watch-listed person resembles the traveller whose document is on the desk.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/mrz.hpp"
#include "inspection/inspection.hpp"

namespace borderpost::station {

namespace {

// Weights. The name decides; the birth date and nationality scale it:
//   score = name similarity × birth-date factor × nationality factor
// A known birth date that differs is strong evidence of another person (0.55 takes an exact name
// below both the alert and the review score); an unknown one only costs the certainty a match
// would have added (0.92 keeps an exact name above the alert score). Nationality is weak evidence:
// people hold several, and the list may have been filled from another passport.
constexpr double kBirthDateSame = 1.0;
constexpr double kBirthDatePartlySame = 0.96;  // every part both sides know agrees, but some are unknown
constexpr double kBirthDateUnknown = 0.92;
constexpr double kBirthDateDifferent = 0.55;
constexpr double kNationalitySame = 1.0;
constexpr double kNationalityUnknown = 0.97;
constexpr double kNationalityDifferent = 0.80;
// A name part on one side only (a middle name left out, a long name truncated in the MRZ).
constexpr double kMissingPart = 0.97;
constexpr int kMissingPartsCounted = 3;

// Digits an OCR engine reads for letters (OCR-B look-alikes): names have no digits.
char letter_for_digit(char c) {
  switch (c) {
    case '0':
      return 'O';
    case '1':
      return 'I';
    case '2':
      return 'Z';
    case '4':
      return 'A';
    case '5':
      return 'S';
    case '6':
      return 'G';
    case '7':
      return 'T';
    case '8':
      return 'B';
    default:
      return c;
  }
}

std::string without_digits(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), letter_for_digit);
  return out;
}

std::vector<std::string> tokens(std::string_view mrz_characters) {
  std::vector<std::string> out;
  std::string token;
  for (const char raw : mrz_characters) {
    const char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
    if (c >= 'A' && c <= 'Z') {
      token.push_back(c);
    } else if (!token.empty()) {
      out.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) out.push_back(std::move(token));
  return out;
}

// The MRZ side is already in MRZ characters; only OCR confusions need undoing.
std::vector<std::string> traveller_name(const mrz::Document& document) {
  auto out = tokens(without_digits(document.surname.value));
  auto given = tokens(without_digits(document.given_names.value));
  out.insert(out.end(), given.begin(), given.end());
  return out;
}

// The watch-list holds names as written; Doc 9303 transliteration gives what an MRZ would print.
std::vector<std::string> listed_name(const sync::WatchlistEntry& person) {
  auto out = tokens(mrz::transliterate_name(without_digits(person.surname)));
  auto given = tokens(mrz::transliterate_name(without_digits(person.given_names)));
  out.insert(out.end(), given.begin(), given.end());
  return out;
}

// MUELLER and MULLER are the same name: one document transliterates Ü as UE, another drops the
// diaeresis (Ä, Ö, Ü, Å written AE, OE, UE, AA).
std::string folded(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    out.push_back(token[i]);
    if (i + 1 < token.size()) {
      const char a = token[i];
      const char b = token[i + 1];
      if ((b == 'E' && (a == 'A' || a == 'O' || a == 'U')) || (a == 'A' && b == 'A')) ++i;
    }
  }
  return out;
}

double jaro(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  const std::size_t window = std::max<std::size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
  std::vector<bool> a_matched(a.size(), false);
  std::vector<bool> b_matched(b.size(), false);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t from = i > window ? i - window : 0;
    const std::size_t to = std::min(b.size(), i + window + 1);
    for (std::size_t j = from; j < to; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
          (m - static_cast<double>(transpositions) / 2) / m) /
         3;
}

// Jaro-Winkler: names that agree at the start (typos and truncation sit at the end) score higher.
double jaro_winkler(std::string_view a, std::string_view b) {
  const double j = jaro(a, b);
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1 - j);
}

// Jaro-Winkler gives unrelated names of similar length 0.4 to 0.75 (ERIKSSON and SVENSSON 0.75)
// and spelling variants 0.85 and more (JOHN and JON 0.93): only the upper half is evidence.
double token_similarity(const std::string& a, const std::string& b) {
  const double jw = std::max(jaro_winkler(a, b), jaro_winkler(folded(a), folded(b)));
  return std::max(0.0, (jw - 0.5) / 0.5);
}

// Name parts in any order: the best pairs are matched first, each weighted by its length (a long
// surname says more than a short given name); parts left over cost a little each.
double name_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0.0;
  struct Pair {
    double similarity;
    std::size_t i, j;
  };
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) pairs.push_back({token_similarity(a[i], b[j]), i, j});
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& x, const Pair& y) { return x.similarity > y.similarity; });
  std::vector<bool> a_used(a.size(), false);
  std::vector<bool> b_used(b.size(), false);
  double weighted = 0.0;
  double weights = 0.0;
  for (const auto& pair : pairs) {
    if (a_used[pair.i] || b_used[pair.j]) continue;
    a_used[pair.i] = b_used[pair.j] = true;
    const double weight = static_cast<double>(std::max(a[pair.i].size(), b[pair.j].size()));
    weighted += pair.similarity * weight;
    weights += weight;
  }
  const int missing =
      std::min(static_cast<int>(std::max(a.size(), b.size()) - std::min(a.size(), b.size())), kMissingPartsCounted);
  double similarity = weighted / weights;
  for (int k = 0; k < missing; ++k) similarity *= kMissingPart;
  return similarity;
}

struct DateParts {
  int year = 0, month = 0, day = 0;  // 0: unknown
};

// "1974-08-12", with unknown parts as X ("1974-XX-XX"); anything else is unknown.
DateParts listed_birth_date(std::string_view text) {
  DateParts parts;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return parts;
  auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t k = from; k < from + length; ++k) {
      if (text[k] < '0' || text[k] > '9') return 0;
      value = value * 10 + (text[k] - '0');
    }
    return value;
  };
  return {number(0, 4), number(5, 2), number(8, 2)};
}

double birth_date_factor(const sync::WatchlistEntry& person, const mrz::Date& traveller) {
  if (!traveller.readable) return kBirthDateUnknown;
  const DateParts listed = listed_birth_date(person.birth_date);
  const int pairs[3][2] = {{listed.year, traveller.year}, {listed.month, traveller.month}, {listed.day, traveller.day}};
  int compared = 0;
  for (const auto& [a, b] : pairs) {
    if (a == 0 || b == 0) continue;
    if (a != b) return kBirthDateDifferent;
    ++compared;
  }
  if (compared == 3) return kBirthDateSame;
  return compared == 0 ? kBirthDateUnknown : kBirthDatePartlySame;
}

// Germany prints D in the MRZ where a list may hold the ISO code DEU.
std::string nationality_code(std::string_view code) {
  std::string out;
  for (const char c : code) {
    if (c != '<') out.push_back(c);
  }
  return out == "DEU" ? std::string("D") : out;
}

double nationality_factor(const sync::WatchlistEntry& person, const mrz::Document& traveller) {
  const std::string listed = nationality_code(person.nationality);
  const std::string shown = nationality_code(traveller.nationality.value);
  if (listed.empty() || shown.empty()) return kNationalityUnknown;
  return listed == shown ? kNationalitySame : kNationalityDifferent;
}

}  // namespace

double person_match_score(const sync::WatchlistEntry& person, const mrz::Document& traveller) {
  const double name = name_similarity(listed_name(person), traveller_name(traveller));
  const double score = name * birth_date_factor(person, traveller.birth_date) * nationality_factor(person, traveller);
  return std::clamp(score, 0.0, 1.0);
}

}  // namespace borderpost::station
