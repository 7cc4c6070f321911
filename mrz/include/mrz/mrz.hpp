// The MRZ engine's front door: parse, format and repair ICAO Doc 9303 machine-readable zones.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/document.hpp"

namespace mrz {

struct ParseOptions {
  // The date the century rule works from (see README, "Dates"): birth dates are never after it,
  // expiry dates are at most kExpiryYearsAhead years after it. Unset means today (UTC).
  std::optional<std::chrono::year_month_day> as_of;
};

inline constexpr int kExpiryYearsAhead = 30;

// Parses MRZ text: lines separated by newlines (or given as separate strings). Lenient with
// case, spaces, '«' and slightly wrong line lengths; reports each fix as a Severity::Fixed problem.
// Never throws for bad input: an unusable input gives a Document with format Unknown and the reason.
Document parse(std::string_view text, const ParseOptions& options = {});
Document parse(std::span<const std::string> lines, const ParseOptions& options = {});

// The values to print into an MRZ. Names are as on the data page (UTF-8, any case, with hyphens,
// apostrophes and national characters); they are transliterated and truncated as Doc 9303 says.
struct DocumentFields {
  Format format = Format::TD3;
  std::string document_code;  // "P", "PO", "I", "ID", "V", ...; empty: the layout's usual code
  std::string issuing_state;  // "UTO", "D", ...
  std::string surname;
  std::string given_names;
  std::string document_number;  // longer than 9 characters uses the TD1/TD2 long-number rule
  std::string nationality;
  Date birth_date;   // year/month/day, 0 for an unknown part
  char sex = '<';    // 'M', 'F', 'X' or '<'
  Date expiry_date;
  std::string optional_data;
  std::string optional_data_2;  // TD1 only
  bool personal_number_check_as_filler = false;  // TD3 with empty personal number: '<' not '0'
};

struct Formatted {
  std::vector<std::string> lines;  // empty when a field cannot be represented
  std::vector<Problem> problems;   // errors (field too long, bad character) and warnings (name truncated)
  bool ok() const { return !lines.empty(); }
  std::string text() const;  // the lines joined with '\n'
};

Formatted format(const DocumentFields& fields);

// ICAO check digit (weights 7-3-1, '<' = 0, A = 10 ... Z = 35) of a field. Characters outside
// 0-9, A-Z and '<' give std::nullopt.
std::optional<char> check_digit(std::string_view data);

// Transliterates a name from the data page into MRZ characters (Doc 9303 Part 3 section 6 for
// Latin and Cyrillic; apostrophes dropped, hyphens and spaces become '<').
std::string transliterate_name(std::string_view utf8_name);

}  // namespace mrz
