// The values the MRZ engine returns: a parsed document, its fields, check results and problems.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mrz {

// The five machine-readable layouts of ICAO Doc 9303 Parts 4 to 7.
enum class Format : std::uint8_t {
  Unknown,  // input that is not recognisably an MRZ
  TD1,      // ID cards: 3 lines of 30
  TD2,      // official travel documents: 2 lines of 36
  TD3,      // passports: 2 lines of 44
  MRVA,     // full-size visa: 2 lines of 44
  MRVB,     // small visa: 2 lines of 36
};

std::string_view to_string(Format format);  // "TD1", ..., "MRVA", "MRVB", "unknown"

enum class Severity : std::uint8_t {
  Error,    // the document fails validation (bad check digit, impossible date, bad character)
  Warning,  // valid, but worth a look (unknown country code, name possibly truncated)
  Fixed,    // lenient input repair that was applied (lower case, spaces, '«', line length)
};

std::string_view to_string(Severity severity);

// The values a message names, in order: {"field", "birth_date"}, {"printed", "7"}.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// One finding, pointing at the character where it applies.
struct Problem {
  std::string field;    // "document_number", "birth_date", "line 2", "input", ...
  int line = 0;         // 1-based MRZ line, 0 when the problem is about the whole input
  int position = 0;     // 1-based character position in that line, 0 when not tied to one
  Severity severity = Severity::Error;
  std::string message;  // plain English, for the command line and logs
  // The same finding for a reader of another language: a stable code ("check_digit.wrong") and
  // the values its sentence names; the station's pages keep one sentence per code and language.
  std::string code;
  MessageArgs args;
};

// A run of characters of one MRZ line and what it means.
struct Field {
  std::string raw;    // exactly as printed, fillers included
  std::string value;  // decoded: fillers removed, name components joined with spaces
  int line = 0;       // 1-based
  int position = 0;   // 1-based first character
};

// A YYMMDD date. Unknown parts (printed as "<<") are 0; the century comes from ParseOptions.
struct Date {
  std::string raw;
  int year = 0;   // four digits, 0 when unknown
  int month = 0;  // 1..12, 0 when unknown
  int day = 0;    // 1..31, 0 when unknown
  bool readable = true;  // false when the raw text is not a date (then year/month/day are 0)
  bool complete() const { return readable && year != 0 && month != 0 && day != 0; }
  // "1974-08-12"; unknown parts as "XXXX"/"XX" ("1974-XX-XX"); "" when the raw text is not a date.
  std::string iso() const;
};

// A check digit: which field it protects, what was printed and what the data computes to.
struct CheckDigit {
  std::string field;  // "document_number", "birth_date", "expiry_date", "optional_data", "composite"
  char printed = '<';
  char computed = '0';
  int line = 0;
  int position = 0;
  bool ok = false;
};

struct Document {
  Format format = Format::Unknown;
  std::vector<std::string> lines;  // the MRZ lines after lenient normalisation

  Field document_code;
  Field issuing_state;
  Field surname;       // primary identifier
  Field given_names;   // secondary identifier
  Field document_number;  // for long numbers, the whole number including its continuation
  Field nationality;
  Date birth_date;
  Field sex;           // "M", "F", "X" or "" (unspecified, printed '<')
  Date expiry_date;
  Field optional_data;    // TD3 personal number; TD1 line 1 / TD2 / visas optional data
  Field optional_data_2;  // TD1 line 2 optional data

  bool name_possibly_truncated = false;  // the name field ends in a letter
  bool long_document_number = false;     // TD1/TD2 number continued in the optional data

  std::vector<CheckDigit> checks;
  std::vector<Problem> problems;

  bool usable() const { return format != Format::Unknown; }
  bool valid() const;  // usable and no problem of severity Error
  const CheckDigit* check(std::string_view field) const;
};

}  // namespace mrz
