// Lenient input handling: from whatever the user or an OCR typed to MRZ lines of a known layout.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/document.hpp"

namespace mrz::detail {

struct Normalised {
  Format format = Format::Unknown;
  std::vector<std::string> lines;
  std::vector<Problem> problems;  // Fixed for repairs made; Error when unusable
};

// Longer inputs are refused outright: an MRZ has at most 90 characters.
inline constexpr std::size_t kMaxInputBytes = 4096;

Normalised normalise(std::span<const std::string_view> raw_lines);
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace mrz::detail
