// Names in the MRZ: splitting the name field, transliteration and truncation.
#pragma once

#include <string>
#include <string_view>

namespace mrz::detail {

struct SplitName {
  std::string primary;    // components joined by single spaces
  std::string secondary;
  bool possibly_truncated = false;  // the field is full up to its last position with a letter
};

SplitName split_name(std::string_view field);

// transliterate_name() that also counts letters it could not transliterate (left out).
std::string transliterate_name(std::string_view utf8_name, int& dropped_letters);

// Builds the name field of the given width from already transliterated identifiers
// (components separated by '<'), truncating as Doc 9303 Parts 4-7 describe.
std::string encode_name(std::string_view primary, std::string_view secondary, std::size_t width, bool& truncated);

}  // namespace mrz::detail
