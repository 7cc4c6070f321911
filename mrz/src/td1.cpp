// TD1 (ID cards), Doc 9303 Part 5 §4.2.2: three lines of 30 characters.
#include "layout.hpp"

namespace mrz::detail {
namespace {
constexpr Span kSpans[] = {
    {Slot::DocumentCode, 0, 0, 2},   {Slot::IssuingState, 0, 2, 3},
    {Slot::DocumentNumber, 0, 5, 9}, {Slot::DocumentNumberCheck, 0, 14, 1},
    {Slot::OptionalData, 0, 15, 15}, {Slot::BirthDate, 1, 0, 6},
    {Slot::BirthDateCheck, 1, 6, 1}, {Slot::Sex, 1, 7, 1},
    {Slot::ExpiryDate, 1, 8, 6},     {Slot::ExpiryDateCheck, 1, 14, 1},
    {Slot::Nationality, 1, 15, 3},   {Slot::OptionalData2, 1, 18, 11},
    {Slot::CompositeCheck, 1, 29, 1}, {Slot::Name, 2, 0, 30},
};
// Part 5 §4.2.4: upper line 6-30, middle line 1-7, 9-15, 19-29.
constexpr Range kComposite[] = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}};
constexpr Layout kLayout{Format::TD1, 3, 30, kSpans, kComposite, true};
}  // namespace

const Layout& td1_layout() { return kLayout; }

}  // namespace mrz::detail
