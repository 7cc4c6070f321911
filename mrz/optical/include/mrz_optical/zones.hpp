// Where the other zones of a document lie on its page image, found from the MRZ the reader
// located: ICAO Doc 9303 fixes the MRZ's position (first character 6.0 mm from the left edge, the
// MRZ zone at the bottom of the data page) and its character pitch (2.54 mm), so the MRZ's corners
// give the page's scale and orientation. Pure geometry.
#pragma once

#include <array>
#include <optional>

#include <opencv2/core.hpp>

#include "mrz/document.hpp"

namespace mrz::optical {

using Quad = std::array<cv::Point2f, 4>;  // top-left, top-right, bottom-right, bottom-left of the content

// Zone V, the holder's portrait: the left edge of the data page above the MRZ (Doc 9303 Part 4
// 3.2.2 and Part 5). nullopt for TD1, whose MRZ is on the back and portrait on the front.
std::optional<Quad> portrait_zone(const Quad& mrz_text, Format format);

// The zone straightened and cut out of the page, `width` pixels wide (its height to scale).
cv::Mat cut_zone(const cv::Mat& page, const Quad& zone, int width);

}  // namespace mrz::optical
