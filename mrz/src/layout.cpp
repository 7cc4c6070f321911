// Lookups over the layout tables defined in td1.cpp, td2.cpp, td3.cpp and mrv.cpp.
#include "layout.hpp"

namespace mrz::detail {

const Layout* layout_for(Format format) {
  switch (format) {
    case Format::TD1: return &td1_layout();
    case Format::TD2: return &td2_layout();
    case Format::TD3: return &td3_layout();
    case Format::MRVA: return &mrva_layout();
    case Format::MRVB: return &mrvb_layout();
    case Format::Unknown: break;
  }
  return nullptr;
}

const Span* find_span(const Layout& layout, Slot slot) {
  for (const auto& span : layout.spans) {
    if (span.slot == slot) return &span;
  }
  return nullptr;
}

CharClass char_class(Slot slot) {
  switch (slot) {
    case Slot::DocumentCode:
    case Slot::IssuingState:
    case Slot::Nationality:
    case Slot::Name: return CharClass::Letters;
    case Slot::DocumentNumber:
    case Slot::OptionalData:
    case Slot::OptionalData2: return CharClass::Alphanumeric;
    case Slot::BirthDate:
    case Slot::OptionalDataCheck:
    case Slot::DocumentNumberCheck: return CharClass::DigitsOrFiller;
    case Slot::BirthDateCheck:
    case Slot::ExpiryDate:
    case Slot::ExpiryDateCheck:
    case Slot::CompositeCheck: return CharClass::Digits;
    case Slot::Sex: return CharClass::Sex;
  }
  return CharClass::Alphanumeric;
}

bool allowed(CharClass cls, char c) {
  const bool digit = c >= '0' && c <= '9';
  const bool letter = c >= 'A' && c <= 'Z';
  switch (cls) {
    case CharClass::Letters: return letter || c == '<';
    case CharClass::Digits: return digit;
    case CharClass::DigitsOrFiller: return digit || c == '<';
    case CharClass::Alphanumeric: return digit || letter || c == '<';
    case CharClass::Sex: return c == 'M' || c == 'F' || c == 'X' || c == '<';
  }
  return false;
}

const char* slot_name(Slot slot) {
  switch (slot) {
    case Slot::DocumentCode: return "document_code";
    case Slot::IssuingState: return "issuing_state";
    case Slot::Name: return "name";
    case Slot::DocumentNumber:
    case Slot::DocumentNumberCheck: return "document_number";
    case Slot::Nationality: return "nationality";
    case Slot::BirthDate:
    case Slot::BirthDateCheck: return "birth_date";
    case Slot::Sex: return "sex";
    case Slot::ExpiryDate:
    case Slot::ExpiryDateCheck: return "expiry_date";
    case Slot::OptionalData:
    case Slot::OptionalDataCheck: return "optional_data";
    case Slot::OptionalData2: return "optional_data_2";
    case Slot::CompositeCheck: return "composite";
  }
  return "?";
}

}  // namespace mrz::detail
