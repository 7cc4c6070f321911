// Where each field sits in each ICAO layout. Shared by parse, format and repair.
#pragma once

#include <cstdint>
#include <span>

#include "mrz/document.hpp"

namespace mrz::detail {

enum class Slot : std::uint8_t {
  DocumentCode,
  IssuingState,
  Name,
  DocumentNumber,
  DocumentNumberCheck,
  Nationality,
  BirthDate,
  BirthDateCheck,
  Sex,
  ExpiryDate,
  ExpiryDateCheck,
  OptionalData,
  OptionalDataCheck,  // TD3 only: the personal number's check digit
  OptionalData2,      // TD1 only: line 2
  CompositeCheck,
};

// The characters a field may hold in a well-formed MRZ.
enum class CharClass : std::uint8_t {
  Letters,         // A-Z and '<'
  Digits,          // 0-9
  DigitsOrFiller,  // 0-9 and '<' (unknown birth date parts, filler check digits)
  Alphanumeric,    // A-Z, 0-9 and '<'
  Sex,             // M, F, X and '<'
};

struct Span {
  Slot slot;
  std::uint8_t line;    // 0-based
  std::uint8_t start;   // 0-based
  std::uint8_t length;
};

struct Range {
  std::uint8_t line;
  std::uint8_t start;
  std::uint8_t length;
};

struct Layout {
  Format format;
  std::uint8_t line_count;
  std::uint8_t line_length;
  std::span<const Span> spans;
  std::span<const Range> composite;  // empty for visas
  // TD1 and TD2: a number longer than 9 continues at the start of the optional data.
  bool long_document_number;
};

const Layout& td1_layout();
const Layout& td2_layout();
const Layout& td3_layout();
const Layout& mrva_layout();
const Layout& mrvb_layout();

// nullptr for Format::Unknown.
const Layout* layout_for(Format format);
const Span* find_span(const Layout& layout, Slot slot);
CharClass char_class(Slot slot);
bool allowed(CharClass cls, char c);
const char* slot_name(Slot slot);  // the field name used in problems and JSON

}  // namespace mrz::detail
