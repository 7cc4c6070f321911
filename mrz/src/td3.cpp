// TD3 (passports), Doc 9303 Part 4 §4.2.2: two lines of 44 characters.
#include "layout.hpp"

namespace mrz::detail {
namespace {
constexpr Span kSpans[] = {
    {Slot::DocumentCode, 0, 0, 2},    {Slot::IssuingState, 0, 2, 3},
    {Slot::Name, 0, 5, 39},           {Slot::DocumentNumber, 1, 0, 9},
    {Slot::DocumentNumberCheck, 1, 9, 1}, {Slot::Nationality, 1, 10, 3},
    {Slot::BirthDate, 1, 13, 6},      {Slot::BirthDateCheck, 1, 19, 1},
    {Slot::Sex, 1, 20, 1},            {Slot::ExpiryDate, 1, 21, 6},
    {Slot::ExpiryDateCheck, 1, 27, 1}, {Slot::OptionalData, 1, 28, 14},
    {Slot::OptionalDataCheck, 1, 42, 1}, {Slot::CompositeCheck, 1, 43, 1},
};
// Part 4 §4.2.4: lower line 1-10, 14-20, 22-43.
constexpr Range kComposite[] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}};
constexpr Layout kLayout{Format::TD3, 2, 44, kSpans, kComposite, false};
}  // namespace

const Layout& td3_layout() { return kLayout; }

}  // namespace mrz::detail
