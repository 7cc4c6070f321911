// Synthetic travel-document pages with ground truth: the blackbox test set, the optical reader's
// benchmark, the OCR-B classifier's training data and the scanner simulator's sample documents.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mrz/mrz.hpp"

namespace mrz::synth {

enum class Degradation : std::uint8_t { Clean, Mild, Moderate, Severe };
enum class InkStyle : std::uint8_t { Printed, LaserEngraved, Inkjet };
// What the page is printed on. Security paper is UV-dull (it has no optical brighteners) and
// carries fluorescent fibres and an emblem; ordinary copy paper glows under UV and has neither.
enum class Paper : std::uint8_t { Security, Copy };

std::string_view to_string(Degradation degradation);
std::string_view to_string(InkStyle style);

struct PageSpec {
  DocumentFields fields;
  Degradation degradation = Degradation::Clean;
  InkStyle ink = InkStyle::Printed;
  int rotation = 0;         // 0, 90, 180 or 270 degrees, clockwise, applied last
  std::uint32_t seed = 1;   // everything random about the page (skew, noise, placement)
  double dpi = 300.0;
  Paper paper = Paper::Security;
  bool print_mrz = true;               // false: a visual zone only (old documents without an MRZ)
  std::vector<std::string> mrz_lines;  // non-empty: print these instead of the fields' MRZ (a wrong
                                       // check digit, a forgery); the visual zone still shows `fields`
  // Print geometry. By default the MRZ is centred on the page (the reader's test sets); with
  // `icao_position` its first character starts where Doc 9303 puts it for the layout (TD3 6.0 mm,
  // TD1 5.0 mm, TD2 and visas 4.0 mm from the left edge, ±0.5 mm placement).
  bool icao_position = false;
  int background_level = -1;       // the scanner's background (lid, hood) in gray levels; -1: random
  double mrz_pitch_mm = 2.54;      // Doc 9303 Part 3 4.4: 10 characters per 25.4 mm
  double mrz_shift_mm = 0.0;       // moved right (+) or left (-) of where it would be
  double mrz_skew_degrees = 0.0;   // turned against the page (a strip pasted askew)
  // Forgeries and damage, as the features behave under the reader's three lights.
  bool portrait = true;            // false: the portrait zone is blank (a photo removed)
  bool ir_absorbing_inks = true;   // false: the personalisation and the MRZ are printed in inks
                                   // infrared passes through (a colour photocopy): gone under IR
  bool mrz_on_pasted_strip = false;  // the MRZ zone is a strip of ordinary (UV-bright) paper glued over
                                     // the page, as a substituted MRZ is
};

// Nominal distance of the MRZ's first character from the page's left edge (Doc 9303 Parts 4-7).
double icao_mrz_left_mm(Format format);
// Page size of a layout in millimetres (Doc 9303 Parts 4-7).
cv::Size2d page_size_mm(Format format);

struct Page {
  cv::Mat image;                          // 8-bit BGR
  std::vector<std::string> mrz_lines;     // ground truth
  std::array<cv::Point2f, 4> mrz_quad{};  // MRZ corners in the final image: top-left, top-right,
                                          // bottom-right, bottom-left of the unrotated text
  double skew_degrees = 0.0;
};

// Renders a page: the document on a scanner background, its MRZ in OCR-B at the ICAO pitch,
// a visual zone, then the degradation. Throws std::runtime_error when a font is missing or the
// fields cannot be formatted.
Page render_page(const PageSpec& spec);

// The page as a full-page reader captures it under its three lights. The document, its placement
// and the degradation are the same in all three; only what each ink and the paper do differs.
struct PageLights {
  Page white;           // exactly render_page(spec) (the sensor noise comes from cv::theRNG(),
                        // so seed that too when the captures must be reproducible)
  cv::Mat infrared;     // 8-bit gray, ~900 nm: the MRZ (B900 ink) and the personal data stay dark,
                        // the coloured printing, the guilloche and most of the portrait fade out
  cv::Mat ultraviolet;  // 8-bit BGR, 365 nm: security paper is dark blue-black with fluorescent
                        // fibres and emblem, the MRZ barely visible; copy paper glows bright
};
PageLights render_lights(const PageSpec& spec);

// Plausible random field values for a layout (names, numbers, dates, codes).
DocumentFields random_fields(std::mt19937& rng, Format format);

// Fonts from Debian's fonts-ocr-b and fonts-dejavu-core.
inline constexpr const char* kOcrbFont = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
inline constexpr const char* kTextFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

}  // namespace mrz::synth
