// Machine readable visas, Doc 9303 Part 7: MRV-A (2 x 44) and MRV-B (2 x 36). No composite check.
#include "layout.hpp"

namespace mrz::detail {
namespace {
constexpr Span kSpansA[] = {
    {Slot::DocumentCode, 0, 0, 2},    {Slot::IssuingState, 0, 2, 3},
    {Slot::Name, 0, 5, 39},           {Slot::DocumentNumber, 1, 0, 9},
    {Slot::DocumentNumberCheck, 1, 9, 1}, {Slot::Nationality, 1, 10, 3},
    {Slot::BirthDate, 1, 13, 6},      {Slot::BirthDateCheck, 1, 19, 1},
    {Slot::Sex, 1, 20, 1},            {Slot::ExpiryDate, 1, 21, 6},
    {Slot::ExpiryDateCheck, 1, 27, 1}, {Slot::OptionalData, 1, 28, 16},
};
constexpr Span kSpansB[] = {
    {Slot::DocumentCode, 0, 0, 2},    {Slot::IssuingState, 0, 2, 3},
    {Slot::Name, 0, 5, 31},           {Slot::DocumentNumber, 1, 0, 9},
    {Slot::DocumentNumberCheck, 1, 9, 1}, {Slot::Nationality, 1, 10, 3},
    {Slot::BirthDate, 1, 13, 6},      {Slot::BirthDateCheck, 1, 19, 1},
    {Slot::Sex, 1, 20, 1},            {Slot::ExpiryDate, 1, 21, 6},
    {Slot::ExpiryDateCheck, 1, 27, 1}, {Slot::OptionalData, 1, 28, 8},
};
constexpr Layout kLayoutA{Format::MRVA, 2, 44, kSpansA, {}, false};
constexpr Layout kLayoutB{Format::MRVB, 2, 36, kSpansB, {}, false};
}  // namespace

const Layout& mrva_layout() { return kLayoutA; }
const Layout& mrvb_layout() { return kLayoutB; }

}  // namespace mrz::detail
