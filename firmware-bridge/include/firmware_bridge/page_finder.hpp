// The document camera's geometry: find the page in a frame (the largest convex quadrilateral that
// stands out from the desk) and straighten it into an upright rectangle of the page's proportions.
// Pure functions over images, so they are tested without a camera.
#pragma once

#include <array>
#include <optional>

#include <opencv2/core.hpp>

namespace borderpost::bridge {

struct PageQuad {
  // Clockwise as seen in the frame, starting at the corner nearest the frame's top-left.
  std::array<cv::Point2f, 4> corners{};
  double area_share = 0.0;  // of the frame
};

// The page on the desk, or nullopt when no quadrilateral of at least `min_area_share` of the frame
// lies wholly inside it. Works on a page lighter or darker than the desk; any 8-bit image.
std::optional<PageQuad> find_page(const cv::Mat& frame, double min_area_share);

// Whether two sightings of a page are the same placement: every corner within `tolerance_px`.
bool same_place(const PageQuad& a, const PageQuad& b, double tolerance_px);

// The corrected page's size in pixels: the page's millimetres at `dpi`.
cv::Size page_size_px(double width_mm, double height_mm, int dpi);

// The page warped to `size`. The quad's longer sides become the longer sides of `size`, so a
// landscape page stays landscape whichever way it lies; a page upside down stays upside down (the
// MRZ reader finds the orientation).
cv::Mat straighten_page(const cv::Mat& frame, const PageQuad& quad, cv::Size size);

// The quad's corners in the order straighten_page maps to the output's top-left, top-right,
// bottom-right and bottom-left.
std::array<cv::Point2f, 4> upright_corners(const PageQuad& quad, cv::Size size);

}  // namespace borderpost::bridge
