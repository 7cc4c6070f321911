// The MRZ's print geometry (see print_geometry.hpp).
#include "print_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace borderpost::station::security {
namespace {

float dot(cv::Point2f a, cv::Point2f b) { return a.x * b.x + a.y * b.y; }

// Centres of the MRZ's text lines in the upright MRZ zone, in its pixel rows: the row profile of
// the ink, cut where it falls below a quarter of its peak.
std::vector<double> line_centres(const cv::Mat& zone) {
  cv::Mat ink;
  cv::threshold(zone, ink, 0, 1, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  std::vector<double> rows(static_cast<std::size_t>(ink.rows));
  for (int y = 0; y < ink.rows; ++y) rows[static_cast<std::size_t>(y)] = cv::sum(ink.row(y))[0];
  const double peak = *std::max_element(rows.begin(), rows.end());
  std::vector<double> centres;
  double mass = 0, moment = 0;
  for (int y = 0; y <= ink.rows; ++y) {
    const double v = y < ink.rows ? rows[static_cast<std::size_t>(y)] : 0;
    if (v > peak / 4) {
      mass += v;
      moment += v * y;
    } else if (mass > 0) {
      centres.push_back(moment / mass);
      mass = moment = 0;
    }
  }
  return centres;
}

// The data page's four corners in image pixels (in order around it), when the page stands out
// from the background and has the layout's size; the frame says where the page should be.
// Not bridge::find_page, which looks for any page on a desk and fits lines to its sides: here the
// page's place and size are known from the MRZ, and the MRZ's position is measured against the
// outline's bounding rectangle. The fitted sides lie inside it (half a pixel at this scale, more
// where a side's fit slips): on generated pages that moved the position by up to 0.4 mm and
// failed 2 genuine pages of 80 at Doc 9303's 1 mm tolerance.
std::optional<std::array<cv::Point2f, 4>> data_page(const cv::Mat& gray, const PageFrame& frame, const PageLayout& layout) {
  if (gray.empty()) return std::nullopt;
  // Work at about 3 px/mm: edges need no more, and it is fast.
  const double mm = std::hypot(frame.along.x, frame.along.y);
  if (mm <= 0) return std::nullopt;
  const double scale = std::min(1.0, 3.0 / mm);
  cv::Mat small;
  cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {5, 5}, 0);
  cv::Mat page;
  cv::threshold(small, page, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // The page is the side of the threshold the middle of its visual zone falls on.
  const cv::Point2f inside = frame.at(layout.width_mm / 2 - layout.mrz_left_mm, -layout.height_mm / 3) * static_cast<float>(scale);
  if (!cv::Rect(0, 0, page.cols, page.rows).contains(inside)) return std::nullopt;
  if (page.at<uchar>(cv::Point(inside)) == 0) cv::bitwise_not(page, page);
  cv::morphologyEx(page, page, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(page, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  for (const auto& contour : contours) {
    if (cv::pointPolygonTest(contour, inside, false) < 0) continue;
    const cv::RotatedRect box = cv::minAreaRect(contour);
    const double expected = layout.width_mm * layout.height_mm * mm * mm * scale * scale;
    const double area = box.size.area();
    // The page must be about its layout's size and not touch the image's border (then the
    // background around it was not seen, and its edge is the image's).
    if (area < expected * 0.8 || area > expected * 1.25) return std::nullopt;
    const cv::Rect bounds = cv::boundingRect(contour);
    if (bounds.x <= 1 || bounds.y <= 1 || bounds.br().x >= page.cols - 1 || bounds.br().y >= page.rows - 1) return std::nullopt;
    std::array<cv::Point2f, 4> corners;
    box.points(corners.data());
    for (auto& c : corners) c *= static_cast<float>(1.0 / scale);
    return corners;
  }
  return std::nullopt;
}

}  // namespace

PrintFacts measure_print(const cv::Mat& gray, const std::array<cv::Point2f, 4>& mrz_quad, const PageFrame& frame,
                         const PageLayout& layout, double dpi) {
  PrintFacts facts;
  facts.missing = NotMeasured::none;
  facts.nominal_left_mm = layout.mrz_left_mm;
  facts.nominal_line_spacing_mm = layout.line_spacing_mm;
  const double px_per_mm = dpi / 25.4;
  facts.pitch_mm = cv::norm(mrz_quad[1] - mrz_quad[0]) / layout.characters / px_per_mm;
  // Line spacing from the ink's row profile, cut at the reader's own scale so pixels are its pixels.
  const double frame_mm = std::hypot(frame.along.x, frame.along.y);
  const cv::Mat zone = cut(gray, frame, 0, -1.5, frame.mrz_width_mm, frame.mrz_height_mm + 1.5, frame_mm);
  if (!zone.empty()) {
    const auto centres = line_centres(zone);
    if (centres.size() >= 2) facts.line_spacing_mm = (centres.back() - centres.front()) / static_cast<double>(centres.size() - 1) / px_per_mm;
  }
  // Position and skew against the page's edges, found in the image.
  const auto page = data_page(gray, frame, layout);
  if (!page) return facts;
  const cv::Point2f u = frame.along * static_cast<float>(1.0 / frame_mm);
  const cv::Point2f v = frame.down * static_cast<float>(1.0 / frame_mm);
  // The left edge: of the four sides, the one furthest back along the lines; the bottom: the one
  // furthest down the page.
  int left = 0, bottom = 0;
  float most_left = 1e9F, most_down = -1e9F;
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f mid = ((*page)[static_cast<std::size_t>(i)] + (*page)[static_cast<std::size_t>((i + 1) % 4)]) * 0.5F - frame.origin;
    if (dot(mid, u) < most_left) most_left = dot(mid, u), left = i;
    if (dot(mid, v) > most_down) most_down = dot(mid, v), bottom = i;
  }
  auto side = [&](int i) { return std::pair{(*page)[static_cast<std::size_t>(i)], (*page)[static_cast<std::size_t>((i + 1) % 4)]}; };
  const auto [l0, l1] = side(left);
  const cv::Point2f left_dir = (l1 - l0) * static_cast<float>(1.0 / std::max(1e-6, cv::norm(l1 - l0)));
  const cv::Point2f left_normal(-left_dir.y, left_dir.x);
  // Distance from the MRZ's first cell to the left edge, measured across the edge.
  const double first_cell = std::abs(dot(mrz_quad[0] - l0, left_normal));
  const double last_cell = std::abs(dot(mrz_quad[3] - l0, left_normal));
  facts.left_mm = (first_cell + last_cell) / 2.0 / px_per_mm;
  const auto [b0, b1] = side(bottom);
  double skew = std::atan2(dot(b1 - b0, v), dot(b1 - b0, u)) * 180.0 / CV_PI;
  while (skew > 90) skew -= 180;
  while (skew < -90) skew += 180;
  facts.skew_degrees = skew;
  return facts;
}

}  // namespace borderpost::station::security
