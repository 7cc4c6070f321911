// The visual zone's text (Tesseract) against the MRZ (see viz_text.hpp).
#include "security/internal/viz_text.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <string_view>
#include <vector>

#include "mrz/mrz.hpp"

namespace borderpost::station::security {
namespace {

// Letters and digits of the text in MRZ form, one entry per printed word: upper case, national
// characters transliterated as Doc 9303 does (Ü -> UE) and, separately, with the accent dropped
// (OCR often reads Ü as U), so either spelling can match.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto keep = [&](const std::string& word) {
    std::string plain;
    for (char c : word)
      if (std::isalnum(static_cast<unsigned char>(c))) plain += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!plain.empty()) words.push_back(plain);
  };
  auto flush = [&] {
    if (current.empty()) return;
    if (std::all_of(current.begin(), current.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      keep(current);
    } else {
      keep(mrz::transliterate_name(current));
      // Each national character by its first letter only: what OCR reads when it misses the accent.
      std::string dropped;
      for (std::size_t i = 0; i < current.size();) {
        const auto lead = static_cast<unsigned char>(current[i]);
        const std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        const std::string one = current.substr(i, n);
        const std::string mapped = n == 1 ? one : mrz::transliterate_name(one);
        if (!mapped.empty() && mapped[0] != '<') dropped += mapped[0];
        i += n;
      }
      keep(dropped);
    }
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 || std::isalnum(c)) current += static_cast<char>(c);
    else flush();
  }
  flush();
  return words;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// OCR mistakes a few letters for digits and back; numbers are compared in one alphabet.
std::string as_digits(std::string_view word) {
  std::string out;
  for (char c : word) {
    switch (c) {
      case 'O': case 'Q': case 'D': out += '0'; break;
      case 'I': case 'L': out += '1'; break;
      case 'Z': out += '2'; break;
      case 'S': out += '5'; break;
      case 'B': out += '8'; break;
      case 'G': out += '6'; break;
      default: out += c;
    }
  }
  return out;
}

// A name word of the MRZ is shown when a printed word spells it, allowing one OCR slip in four to
// seven letters and two from eight; a truncated MRZ name may be the start of the printed one.
bool name_word_shown(const std::string& mrz_word, const std::vector<std::string>& printed, bool may_be_truncated) {
  const std::size_t slips = mrz_word.size() >= 8 ? 2 : mrz_word.size() >= 4 ? 1 : 0;
  for (const auto& word : printed) {
    if (edit_distance(mrz_word, word) <= slips) return true;
    if (may_be_truncated && mrz_word.size() >= 3 && word.size() > mrz_word.size() &&
        edit_distance(mrz_word, std::string_view(word).substr(0, mrz_word.size())) <= slips)
      return true;
  }
  return false;
}

bool name_shown(const std::string& value, const std::vector<std::string>& printed, bool truncated) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : value + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) part += c;
    else if (!part.empty()) parts.push_back(std::exchange(part, {}));
  }
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!name_word_shown(parts[i], printed, truncated && i + 1 == parts.size())) return false;
  return true;
}

std::string digits_of(std::string_view word) {
  std::string digits;
  for (char c : word)
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  return digits;
}

// The printed number is the MRZ's when it spells it, allowing one slip in a letter (OCR reads the
// letters of mixed numbers least well: "TM" as "TT") but none in the digits, where a forger works.
bool same_number(const std::string& printed, const std::string& number) {
  if (as_digits(printed) == as_digits(number)) return true;
  return digits_of(printed) == digits_of(number) && edit_distance(as_digits(printed), as_digits(number)) <= 1;
}

bool number_shown(const std::string& number, const std::vector<std::string>& printed) {
  for (std::size_t i = 0; i < printed.size(); ++i) {
    if (same_number(printed[i], number)) return true;
    // A number printed in groups ("AB 123 456") reads as several words.
    std::string joined_words = printed[i];
    for (std::size_t j = i + 1; j < printed.size() && joined_words.size() < number.size() + 1; ++j) {
      joined_words += printed[j];
      if (same_number(joined_words, number)) return true;
    }
  }
  return false;
}

bool digit_like(char c) { return std::isdigit(static_cast<unsigned char>(c)) || std::string_view("OoIlSB").find(c) != std::string_view::npos; }

// Every date printed as day, month, year (12.03.1988, 12/03/1988, 12 03 1988), as (y, m, d): a
// scan rather than std::regex, whose inlined NFA GCC 12 warns about falsely.
std::vector<std::array<int, 3>> printed_dates(std::string_view text) {
  auto value = [](std::string_view digits) {
    std::string folded;
    for (char c : digits) folded += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return std::stoi(as_digits(folded));
  };
  // A run of 1..max digit-like characters at `i`; its length, or 0.
  auto run = [&](std::size_t i, std::size_t least, std::size_t most) -> std::size_t {
    std::size_t n = 0;
    while (i + n < text.size() && digit_like(text[i + n])) ++n;
    return n >= least && n <= most ? n : 0;
  };
  auto skip_separator = [&](std::size_t i) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && (text[i] == '.' || text[i] == '/' || text[i] == '-')) ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    return i;
  };
  std::vector<std::array<int, 3>> dates;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!digit_like(text[i]) || (i > 0 && digit_like(text[i - 1]))) continue;
    const std::size_t day = run(i, 1, 2);
    if (day == 0) continue;
    const std::size_t m = skip_separator(i + day);
    const std::size_t month = run(m, 1, 2);
    if (month == 0) continue;
    const std::size_t y = skip_separator(m + month);
    const std::size_t year = run(y, 4, 4);
    if (year == 0) continue;
    dates.push_back({value(text.substr(y, year)), value(text.substr(m, month)), value(text.substr(i, day))});
  }
  return dates;
}

bool date_shown(const mrz::Date& date, const std::vector<std::array<int, 3>>& printed) {
  return std::any_of(printed.begin(), printed.end(), [&](const auto& d) {
    return d[0] == date.year && d[1] == date.month && d[2] == date.day;
  });
}

}  // namespace

VizFacts compare_viz_text(std::string_view ocr_text, const mrz::Document& document) {
  VizFacts facts;
  facts.missing = NotMeasured::none;
  for (char c : ocr_text)
    if (std::isalnum(static_cast<unsigned char>(c))) ++facts.characters_read;
  const auto printed = words_of(ocr_text);
  const auto dates = printed_dates(ocr_text);
  auto record = [&](const char* field, bool shown) { (shown ? facts.agree : facts.disagree).push_back(field); };
  if (!document.surname.value.empty())
    record("surname", name_shown(document.surname.value, printed, false));
  if (!document.given_names.value.empty())
    record("given_names", name_shown(document.given_names.value, printed, document.name_possibly_truncated));
  if (!document.document_number.value.empty()) record("document_number", number_shown(document.document_number.value, printed));
  if (document.birth_date.complete()) record("birth_date", date_shown(document.birth_date, dates));
  if (document.expiry_date.complete()) record("expiry_date", date_shown(document.expiry_date, dates));
  return facts;
}

std::optional<std::string> recognise_text(const cv::Mat& gray, const std::string& tessdata) {
  struct Recogniser {
    std::unique_ptr<tesseract::TessBaseAPI> api;
    bool failed = false;
  };
  thread_local Recogniser recogniser;
  if (recogniser.failed) return std::nullopt;
  if (!recogniser.api) {
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica's notes on odd boxes would go to the station's stderr
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    if (api->Init(tessdata.empty() ? nullptr : tessdata.c_str(), "eng", tesseract::OEM_LSTM_ONLY) != 0) {
      recogniser.failed = true;
      return std::nullopt;
    }
    api->SetPageSegMode(tesseract::PSM_AUTO);
    // A data page prints letters (national ones too), digits and a little punctuation: without the
    // limit, OCR reads "TM" as "™" and "Y" as "¥".
    api->SetVariable("tessedit_char_whitelist",
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./-,'() "
                     "ÁÀÂÄÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜÝŸáàâäãåæçéèêëíìîïñóòôöõøœúùûüýÿß");
    recogniser.api = std::move(api);
  }
  if (gray.empty() || gray.type() != CV_8UC1) return std::string();
  auto& api = *recogniser.api;
  api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  api.SetSourceResolution(300);
  const std::unique_ptr<char[]> text(api.GetUTF8Text());
  api.Clear();
  return text ? std::string(text.get()) : std::string();
}

}  // namespace borderpost::station::security
