// Helpers shared by the MRZ test suites.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

#include "mrz/mrz.hpp"

namespace mrz::test {

// Every test parses "as of" this fixed day so the century rule is deterministic.
inline constexpr std::chrono::year_month_day kAsOf{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};

// Fills a line with '<' up to the layout's width.
inline std::string pad(std::string line, std::size_t width) {
  line.resize(width, '<');
  return line;
}

inline Document parse_as_of(std::string_view text) { return parse(text, ParseOptions{kAsOf}); }

inline bool has_problem(const Document& doc, std::string_view field, Severity severity) {
  return std::any_of(doc.problems.begin(), doc.problems.end(),
                     [&](const Problem& p) { return p.field == field && p.severity == severity; });
}

inline const Problem* find_problem(const Document& doc, std::string_view field) {
  for (const auto& p : doc.problems) {
    if (p.field == field) return &p;
  }
  return nullptr;
}

inline int count(const Document& doc, Severity severity) {
  return static_cast<int>(std::count_if(doc.problems.begin(), doc.problems.end(),
                                        [&](const Problem& p) { return p.severity == severity; }));
}

}  // namespace mrz::test
