// Names: Doc 9303 Part 3 §4.6 (fillers, punctuation) and §6 (transliteration of Latin and
// Cyrillic characters), truncation from Parts 4-7.
#include "names.hpp"

#include <cstdint>
#include <utility>
#include <vector>

#include "mrz/mrz.hpp"

namespace mrz {
namespace {

// Recommended transliterations, Doc 9303 Part 3 §6 A and B. Where the table offers a choice
// ("AE or A") the first is used. Lower-case letters map through their upper-case form.
struct Transliteration {
  char32_t code;
  const char* mrz;
};

constexpr Transliteration kTable[] = {
    {0x00C0, "A"},  {0x00C1, "A"},  {0x00C2, "A"},  {0x00C3, "A"},  {0x00C4, "AE"}, {0x00C5, "AA"},
    {0x00C6, "AE"}, {0x00C7, "C"},  {0x00C8, "E"},  {0x00C9, "E"},  {0x00CA, "E"},  {0x00CB, "E"},
    {0x00CC, "I"},  {0x00CD, "I"},  {0x00CE, "I"},  {0x00CF, "I"},  {0x00D0, "D"},  {0x00D1, "N"},
    {0x00D2, "O"},  {0x00D3, "O"},  {0x00D4, "O"},  {0x00D5, "O"},  {0x00D6, "OE"}, {0x00D8, "OE"},
    {0x00D9, "U"},  {0x00DA, "U"},  {0x00DB, "U"},  {0x00DC, "UE"}, {0x00DD, "Y"},  {0x00DE, "TH"},
    {0x00DF, "SS"}, {0x0100, "A"},  {0x0102, "A"},  {0x0104, "A"},  {0x0106, "C"},  {0x0108, "C"},
    {0x010A, "C"},  {0x010C, "C"},  {0x010E, "D"},  {0x0110, "D"},  {0x0112, "E"},  {0x0114, "E"},
    {0x0116, "E"},  {0x0118, "E"},  {0x011A, "E"},  {0x011C, "G"},  {0x011E, "G"},  {0x0120, "G"},
    {0x0122, "G"},  {0x0124, "H"},  {0x0126, "H"},  {0x0128, "I"},  {0x012A, "I"},  {0x012C, "I"},
    {0x012E, "I"},  {0x0130, "I"},  {0x0131, "I"},  {0x0132, "IJ"}, {0x0134, "J"},  {0x0136, "K"},
    {0x0139, "L"},  {0x013B, "L"},  {0x013D, "L"},  {0x013F, "L"},  {0x0141, "L"},  {0x0143, "N"},
    {0x0145, "N"},  {0x0147, "N"},  {0x014A, "N"},  {0x014C, "O"},  {0x014E, "O"},  {0x0150, "O"},
    {0x0152, "OE"}, {0x0154, "R"},  {0x0156, "R"},  {0x0158, "R"},  {0x015A, "S"},  {0x015C, "S"},
    {0x015E, "S"},  {0x0160, "S"},  {0x0162, "T"},  {0x0164, "T"},  {0x0166, "T"},  {0x0168, "U"},
    {0x016A, "U"},  {0x016C, "U"},  {0x016E, "U"},  {0x0170, "U"},  {0x0172, "U"},  {0x0174, "W"},
    {0x0176, "Y"},  {0x0178, "Y"},  {0x0179, "Z"},  {0x017B, "Z"},  {0x017D, "Z"},
    // Cyrillic
    {0x0401, "E"},  {0x0402, "D"},  {0x0404, "IE"}, {0x0405, "DZ"}, {0x0406, "I"},  {0x0407, "I"},
    {0x0408, "J"},  {0x0409, "LJ"}, {0x040A, "NJ"}, {0x040B, "D"},  {0x040C, "K"},  {0x040E, "U"},
    {0x040F, "DZ"}, {0x0410, "A"},  {0x0411, "B"},  {0x0412, "V"},  {0x0413, "G"},  {0x0414, "D"},
    {0x0415, "E"},  {0x0416, "ZH"}, {0x0417, "Z"},  {0x0418, "I"},  {0x0419, "I"},  {0x041A, "K"},
    {0x041B, "L"},  {0x041C, "M"},  {0x041D, "N"},  {0x041E, "O"},  {0x041F, "P"},  {0x0420, "R"},
    {0x0421, "S"},  {0x0422, "T"},  {0x0423, "U"},  {0x0424, "F"},  {0x0425, "KH"}, {0x0426, "TS"},
    {0x0427, "CH"}, {0x0428, "SH"}, {0x0429, "SHCH"}, {0x042A, "IE"}, {0x042B, "Y"}, {0x042C, ""},
    {0x042D, "E"},  {0x042E, "IU"}, {0x042F, "IA"}, {0x046A, "U"},  {0x0474, "Y"},  {0x0490, "G"},
    {0x0492, "G"},  {0x04BA, "C"},  {0x1E9E, "SS"},
    // Latin Extended-B letters in common use (Romanian comma below, caron vowels), by their base letter
    {0x0218, "S"},  {0x021A, "T"},  {0x01CD, "A"},  {0x01CF, "I"},  {0x01D1, "O"},  {0x01D3, "U"},
};

// Upper-case form of the Latin-1, Latin Extended-A and Cyrillic letters in the table.
char32_t to_upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c >= 0x00E0 && c <= 0x00FE && c != 0x00F7) return c - 32;
  if (c == 0x00FF) return 0x0178;
  if (c >= 0x0100 && c <= 0x017F) {
    // Pairs are (even upper, odd lower) except 0x0139-0x0148 and 0x0179-0x017E, which are odd/even.
    const bool odd_upper = (c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E);
    if (c == 0x0131 || c == 0x0138 || c == 0x0149 || c == 0x017F) return c;  // no pair
    if (odd_upper) return (c % 2 == 0) ? c - 1 : c;
    return (c % 2 == 1) ? c - 1 : c;
  }
  if (c >= 0x0430 && c <= 0x044F) return c - 0x20;
  if (c >= 0x0450 && c <= 0x045F) return c - 0x50;
  if (c == 0x046B || c == 0x0475 || c == 0x0491 || c == 0x0493 || c == 0x04BB) return c - 1;
  if (c == 0x0219 || c == 0x021B || c == 0x01CE || c == 0x01D0 || c == 0x01D2 || c == 0x01D4) return c - 1;
  return c;
}

// Decodes one UTF-8 sequence; invalid bytes decode as U+FFFD and advance one byte.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int extra = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + extra >= text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

const char* lookup(char32_t c) {
  for (const auto& entry : kTable) {
    if (entry.code == c) return entry.mrz;
  }
  return nullptr;
}

}  // namespace

std::string transliterate_name(std::string_view utf8_name) {
  int dropped = 0;
  return detail::transliterate_name(utf8_name, dropped);
}

namespace detail {

std::string transliterate_name(std::string_view utf8_name, int& dropped_letters) {
  dropped_letters = 0;
  std::string out;
  out.reserve(utf8_name.size());
  auto separator = [&] {
    if (!out.empty() && out.back() != '<') out.push_back('<');
  };
  for (std::size_t i = 0; i < utf8_name.size();) {
    const char32_t c = to_upper(next_code_point(utf8_name, i));
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ' || c == '-' || c == ',' || c == '<' || c == '\t' || c == 0x00A0 || c == 0x2010 ||
               c == 0x2011) {
      separator();  // hyphens, commas and spaces separate name components (Part 3 §4.6)
    } else if (const char* mapped = lookup(c)) {
      out += mapped;
    } else if (c >= 0x00C0 && c != 0x00D7 && c != 0x00F7 && c != 0x2019 && c != 0x2018 && c != 0x02BC) {
      ++dropped_letters;  // a letter with no transliteration in the table
    }
    // Apostrophes, other punctuation and digits are omitted (Part 3 §4.6).
  }
  while (!out.empty() && out.back() == '<') out.pop_back();
  return out;
}

namespace {

std::string components_to_words(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '<') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> split_components(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : text) {
    if (c == '<') {
      if (!current.empty()) parts.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out.push_back('<');
    out += part;
  }
  return out;
}

std::string assemble(const std::vector<std::string>& primary, const std::vector<std::string>& secondary) {
  std::string out = join(primary);
  if (!secondary.empty()) out += "<<" + join(secondary);
  return out;
}

// Shortens the last component longer than one character; false when all are initials.
bool shorten_last(std::vector<std::string>& parts) {
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (it->size() > 1) {
      it->pop_back();
      return true;
    }
  }
  return false;
}

}  // namespace

SplitName split_name(std::string_view field) {
  SplitName out;
  out.possibly_truncated = !field.empty() && field.back() >= 'A' && field.back() <= 'Z';
  const auto separator = field.find("<<");
  if (separator == std::string_view::npos) {
    out.primary = components_to_words(field);
    return out;
  }
  out.primary = components_to_words(field.substr(0, separator));
  out.secondary = components_to_words(field.substr(separator + 2));
  return out;
}

std::string encode_name(std::string_view primary, std::string_view secondary, std::size_t width, bool& truncated) {
  auto primary_parts = split_components(primary);
  auto secondary_parts = split_components(secondary);
  std::string name = assemble(primary_parts, secondary_parts);
  truncated = name.size() > width;
  // Shorten secondary identifiers first (from the last component), keeping at least the first
  // initial; then the primary identifier. Each step frees one position so the field ends in a
  // letter, which is how a reader knows truncation may have occurred.
  while (name.size() > width) {
    if (shorten_last(secondary_parts)) {
    } else if (secondary_parts.size() > 1) {
      // Dropping a one-letter component frees two positions; when one is enough, take it from the
      // surname instead so the field still ends in a letter.
      if (name.size() == width + 1 && shorten_last(primary_parts)) {
        name = assemble(primary_parts, secondary_parts);
        continue;
      }
      secondary_parts.pop_back();
    } else if (shorten_last(primary_parts)) {
    } else if (primary_parts.size() > 1) {
      primary_parts.pop_back();
    } else {
      secondary_parts.clear();
      name = assemble(primary_parts, secondary_parts).substr(0, width);
      break;
    }
    name = assemble(primary_parts, secondary_parts);
  }
  name.resize(width, '<');
  return name;
}

}  // namespace detail
}  // namespace mrz
