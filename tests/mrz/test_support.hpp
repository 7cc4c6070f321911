// Helpers shared by the MRZ test suites.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/mrz.hpp"
#include "mrz/repair.hpp"

namespace mrz::test {

// Every test parses "as of" this fixed day so the century rule is deterministic.
inline constexpr std::chrono::year_month_day kAsOf{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};

// Fills a line with '<' up to the layout's width.
inline std::string pad(std::string line, std::size_t width) {
  line.resize(width, '<');
  return line;
}

// Anna Maria Eriksson, the holder of the Doc 9303 specimens, as field values for format().
inline DocumentFields eriksson_fields(Format format, std::string document_number = "L898902C3",
                                      Date expiry = Date{"", 2012, 4, 15}) {
  DocumentFields f;
  f.format = format;
  f.issuing_state = "UTO";
  f.nationality = "UTO";
  f.surname = "Eriksson";
  f.given_names = "Anna Mar\u00eda";
  f.document_number = std::move(document_number);
  f.birth_date = Date{"", 1974, 8, 12};
  f.sex = 'F';
  f.expiry_date = std::move(expiry);
  return f;
}

// The lines as OCR candidates, each cell read with certainty.
inline std::vector<std::vector<std::vector<Candidate>>> as_cells(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::vector<Candidate>>> cells;
  for (const auto& line : lines) {
    auto& out = cells.emplace_back();
    for (const char c : line) out.push_back({Candidate{c, 0.0F}});
  }
  return cells;
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
