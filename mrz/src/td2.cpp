// TD2 (official travel documents), Doc 9303 Part 6 §4.2.2: two lines of 36 characters.
#include "layout.hpp"

namespace mrz::detail {
namespace {
constexpr Span kSpans[] = {
    {Slot::DocumentCode, 0, 0, 2},    {Slot::IssuingState, 0, 2, 3},
    {Slot::Name, 0, 5, 31},           {Slot::DocumentNumber, 1, 0, 9},
    {Slot::DocumentNumberCheck, 1, 9, 1}, {Slot::Nationality, 1, 10, 3},
    {Slot::BirthDate, 1, 13, 6},      {Slot::BirthDateCheck, 1, 19, 1},
    {Slot::Sex, 1, 20, 1},            {Slot::ExpiryDate, 1, 21, 6},
    {Slot::ExpiryDateCheck, 1, 27, 1}, {Slot::OptionalData, 1, 28, 7},
    {Slot::CompositeCheck, 1, 35, 1},
};
// Part 6 §4.2.4: lower line 1-10, 14-20, 22-35.
constexpr Range kComposite[] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}};
constexpr Layout kLayout{Format::TD2, 2, 36, kSpans, kComposite, true};
}  // namespace

const Layout& td2_layout() { return kLayout; }

}  // namespace mrz::detail
