// Page finding: threshold both ways (light page on a dark desk and the reverse), keep the largest
// convex four-cornered outline inside the frame, then refine each side with a line fitted to the
// outline so the corners are sub-pixel accurate rather than wherever the polygon fit put them.
#include "firmware_bridge/page_finder.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "firmware_bridge/gray_image.hpp"

namespace borderpost::bridge {
namespace {

double distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Clockwise from the corner nearest the top-left of the frame.
std::array<cv::Point2f, 4> clockwise(std::vector<cv::Point2f> points) {
  cv::Point2f centre(0, 0);
  for (const auto& p : points) centre += p * 0.25F;
  std::sort(points.begin(), points.end(), [&](cv::Point2f a, cv::Point2f b) {
    return std::atan2(a.y - centre.y, a.x - centre.x) < std::atan2(b.y - centre.y, b.x - centre.x);
  });
  const auto first = std::min_element(points.begin(), points.end(), [](cv::Point2f a, cv::Point2f b) { return a.x + a.y < b.x + b.y; });
  std::rotate(points.begin(), first, points.end());
  return {points[0], points[1], points[2], points[3]};
}

// A line through the outline points along one side, away from its corners (where rounding and
// the polygon fit disagree most).
std::optional<cv::Vec4f> fit_side(const std::vector<cv::Point>& outline, cv::Point2f a, cv::Point2f b) {
  const cv::Point2f d = b - a;
  const double length = std::hypot(d.x, d.y);
  if (length < 8) return std::nullopt;
  const cv::Point2f u(static_cast<float>(d.x / length), static_cast<float>(d.y / length));
  std::vector<cv::Point2f> near;
  const double band = std::max(2.0, length * 0.02);
  for (const auto& p : outline) {
    const cv::Point2f v(static_cast<float>(p.x) - a.x, static_cast<float>(p.y) - a.y);
    const double along = v.x * u.x + v.y * u.y;
    const double across = std::abs(v.x * u.y - v.y * u.x);
    if (along > 0.1 * length && along < 0.9 * length && across < band) near.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  }
  if (near.size() < 5) return std::nullopt;
  cv::Vec4f line;
  cv::fitLine(near, line, cv::DIST_HUBER, 0, 0.01, 0.01);
  return line;
}

std::optional<cv::Point2f> intersect(const cv::Vec4f& l1, const cv::Vec4f& l2) {
  const double det = l1[0] * l2[1] - l1[1] * l2[0];
  if (std::abs(det) < 1e-6) return std::nullopt;
  const double t = ((l2[2] - l1[2]) * l2[1] - (l2[3] - l1[3]) * l2[0]) / det;
  return cv::Point2f(static_cast<float>(l1[2] + t * l1[0]), static_cast<float>(l1[3] + t * l1[1]));
}

std::array<cv::Point2f, 4> refine(const std::vector<cv::Point>& outline, const std::array<cv::Point2f, 4>& rough) {
  std::array<std::optional<cv::Vec4f>, 4> sides;
  for (std::size_t i = 0; i < 4; ++i) sides[i] = fit_side(outline, rough[i], rough[(i + 1) % 4]);
  auto refined = rough;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& before = sides[(i + 3) % 4];
    const auto& after = sides[i];
    if (!before || !after) continue;
    if (auto p = intersect(*before, *after); p && distance(*p, rough[i]) < 10) refined[i] = *p;
  }
  return refined;
}

std::optional<PageQuad> largest_quad(const cv::Mat& mask, double min_area) {
  std::vector<std::vector<cv::Point>> outlines;
  cv::findContours(mask, outlines, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  std::optional<PageQuad> best;
  double best_area = 0;
  const double w = mask.cols - 1, h = mask.rows - 1;
  for (const auto& outline : outlines) {
    if (cv::contourArea(outline) < min_area) continue;
    std::vector<cv::Point> hull, corners;
    cv::convexHull(outline, hull);
    cv::approxPolyDP(hull, corners, 0.02 * cv::arcLength(hull, true), true);
    if (corners.size() != 4 || !cv::isContourConvex(corners)) continue;
    // A page cut by the frame's edge is not wholly in view: its corners would be wrong.
    const bool inside = std::all_of(corners.begin(), corners.end(), [&](cv::Point p) { return p.x > 1 && p.y > 1 && p.x < w - 1 && p.y < h - 1; });
    if (!inside) continue;
    const double area = cv::contourArea(corners);
    if (area <= best_area) continue;
    std::vector<cv::Point2f> points(corners.begin(), corners.end());
    PageQuad quad;
    quad.corners = refine(outline, clockwise(points));
    quad.area_share = area / (static_cast<double>(mask.cols) * mask.rows);
    best = quad;
    best_area = area;
  }
  return best;
}

}  // namespace

std::optional<PageQuad> find_page(const cv::Mat& frame, double min_area_share) {
  if (frame.empty() || frame.cols < 16 || frame.rows < 16) return std::nullopt;
  const cv::Mat gray = gray_of(frame);
  if (gray.empty()) return std::nullopt;
  cv::Mat smooth, mask;
  cv::GaussianBlur(gray, smooth, cv::Size(5, 5), 0);
  // A uniform frame (lens cap, dark room) has no page: Otsu would split its noise in two.
  cv::Scalar mean, deviation;
  cv::meanStdDev(smooth, mean, deviation);
  if (deviation[0] < 4.0) return std::nullopt;
  const double min_area = min_area_share * frame.cols * frame.rows;
  const int k = std::max(3, std::min(frame.cols, frame.rows) / 100) | 1;
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k));
  std::optional<PageQuad> best;
  for (int polarity : {cv::THRESH_BINARY, cv::THRESH_BINARY_INV}) {
    cv::threshold(smooth, mask, 0, 255, polarity | cv::THRESH_OTSU);
    // Close the print on the page (dark text in a light page) so its outline is the page's.
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, kernel);
    auto quad = largest_quad(mask, min_area);
    if (quad && (!best || quad->area_share > best->area_share)) best = quad;
  }
  return best;
}

bool same_place(const PageQuad& a, const PageQuad& b, double tolerance_px) {
  for (std::size_t i = 0; i < 4; ++i)
    if (distance(a.corners[i], b.corners[i]) > tolerance_px) return false;
  return true;
}

cv::Size page_size_px(double width_mm, double height_mm, int dpi) {
  return {static_cast<int>(std::lround(width_mm * dpi / 25.4)), static_cast<int>(std::lround(height_mm * dpi / 25.4))};
}

std::array<cv::Point2f, 4> upright_corners(const PageQuad& quad, cv::Size size) {
  auto c = quad.corners;
  const double top = distance(c[0], c[1]) + distance(c[3], c[2]);
  const double side = distance(c[0], c[3]) + distance(c[1], c[2]);
  const bool quad_wide = top >= side, output_wide = size.width >= size.height;
  // The page lies turned a quarter: start one corner on, so its long sides map to the long sides.
  if (quad_wide != output_wide) std::rotate(c.begin(), c.begin() + 3, c.end());
  return c;
}

cv::Mat straighten_page(const cv::Mat& frame, const PageQuad& quad, cv::Size size) {
  const auto from = upright_corners(quad, size);
  const float w = static_cast<float>(size.width), h = static_cast<float>(size.height);
  const std::array<cv::Point2f, 4> to{cv::Point2f{0, 0}, {w, 0}, {w, h}, {0, h}};
  const cv::Mat homography = cv::getPerspectiveTransform(from.data(), to.data());
  cv::Mat page;
  cv::warpPerspective(frame, page, homography, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return page;
}

}  // namespace borderpost::bridge
