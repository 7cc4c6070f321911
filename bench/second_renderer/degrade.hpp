// What a scanner or a phone does to a page, written for this renderer (independent of mrz/synth):
// uneven light, paper texture, glare, blur, sensor noise, perspective, JPEG.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "cairo_page.hpp"
#include "rng.hpp"

namespace render2 {

struct DegradedPage {
  cv::Mat image;                                // CV_8UC3 or CV_8UC1 (a scanner in grey mode)
  std::array<cv::Point2f, 4> document_corners;  // after any perspective warp
  int jpeg_quality = 0;                         // 0: lossless (PNG)
  std::string steps;                            // what was done, for the log
};

DegradedPage degrade(const RenderedPage& page, Severity severity, Rng& rng);

// Encodes the page: JPEG at its quality, else PNG.
std::vector<unsigned char> encode(const DegradedPage& page);

}  // namespace render2
