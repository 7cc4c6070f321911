// Draws a document (visual zone, portrait box, OCR-B MRZ) on a scanner bed with Cairo at 300 dpi.
#pragma once

#include <array>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "fields.hpp"
#include "rng.hpp"

namespace render2 {

enum class Severity { Clean, Moderate, Severe };
std::string_view to_string(Severity severity);

inline constexpr double kDpi = 300.0;
inline constexpr double kPxPerMm = kDpi / 25.4;

// The fonts, loaded once through FreeType from their files (no fontconfig look-up).
class Fonts {
 public:
  Fonts();
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct RenderedPage {
  cv::Mat bgr;                                 // CV_8UC3, the scanner bed with the document on it
  std::array<cv::Point2f, 4> document_corners; // TL, TR, BR, BL of the document in image pixels
  std::array<cv::Point2f, 4> mrz_corners;      // the MRZ's text box, same order
  cv::Size2f document_size;                    // in pixels, before rotation
  float mrz_top = 0;                           // the MRZ's top edge in document pixels (from the top)
  std::string style;                           // what the renderer chose, for the log
  double paper_grey = 240;                     // the paper's brightness (for the degradations)
};

RenderedPage render_page(const RandomDocument& doc, Severity severity, const Fonts& fonts, Rng& rng);

}  // namespace render2
