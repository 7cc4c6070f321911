// The MRZ's print geometry on the white image: character pitch and line spacing in millimetres at
// the reader's resolution, and, where the page's edges stand out from the reader's background, the
// first character's distance from the left edge and the lines' skew against the bottom edge.
// Internal to station_security.
#pragma once

#include <array>

#include <opencv2/core.hpp>

#include "page_frame.hpp"
#include "security/facts.hpp"

namespace borderpost::station::security {

PrintFacts measure_print(const cv::Mat& gray, const std::array<cv::Point2f, 4>& mrz_quad, const PageFrame& frame,
                         const PageLayout& layout, double dpi);

}  // namespace borderpost::station::security
