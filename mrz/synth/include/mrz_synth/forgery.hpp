// Genuine sample documents and the forgeries border inspectors meet, as a full-page reader sees
// them under white, infrared and ultraviolet light: for the optical security checks' tests, the
// simulated reader's samples and the detection benchmark.
#pragma once

#include <random>
#include <string_view>
#include <vector>

#include "mrz_synth/page.hpp"

namespace mrz::synth {

enum class Forgery : std::uint8_t {
  ColourPhotocopy,  // the page copied on a colour copier: ordinary paper (glows under UV), inks
                    // infrared passes through (the MRZ vanishes under IR), no fibres or emblem
  SubstitutedMrz,   // a new MRZ (a later expiry date) printed on a strip of ordinary paper and
                    // glued over the old one, not quite at the ICAO pitch and place
  VizMismatch,      // the visual zone altered (another surname, birth date or number): it no
                    // longer says what the MRZ says
  MissingPhoto,     // the portrait removed from the page
};
inline constexpr Forgery kForgeries[] = {Forgery::ColourPhotocopy, Forgery::SubstitutedMrz, Forgery::VizMismatch,
                                         Forgery::MissingPhoto};
std::string_view to_string(Forgery forgery);  // "colour-photocopy", "substituted-mrz", "viz-mismatch", "missing-photo"

// A genuine document as issued: random fields for the layout, the MRZ where Doc 9303 puts it,
// printed or laser-engraved, clean or mildly worn, on a full-page reader's dark background.
PageSpec genuine_document(std::mt19937& rng, Format format);

// The genuine document's page after the forger's work (the same placement and wear).
PageSpec forged(const PageSpec& genuine, Forgery forgery, std::mt19937& rng);

}  // namespace mrz::synth
