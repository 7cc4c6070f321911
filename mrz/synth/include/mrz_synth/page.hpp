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

std::string_view to_string(Degradation degradation);
std::string_view to_string(InkStyle style);

struct PageSpec {
  DocumentFields fields;
  Degradation degradation = Degradation::Clean;
  InkStyle ink = InkStyle::Printed;
  int rotation = 0;         // 0, 90, 180 or 270 degrees, clockwise, applied last
  std::uint32_t seed = 1;   // everything random about the page (skew, noise, placement)
  double dpi = 300.0;
};

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

// Plausible random field values for a layout (names, numbers, dates, codes).
DocumentFields random_fields(std::mt19937& rng, Format format);

// Fonts from Debian's fonts-ocr-b and fonts-dejavu-core.
inline constexpr const char* kOcrbFont = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
inline constexpr const char* kTextFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

}  // namespace mrz::synth
