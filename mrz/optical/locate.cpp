// Finding the MRZ block on a page: dark-on-light text emphasised with a black-hat filter, joined
// into lines and blocks by morphological closing, in both the page's axis directions.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "pipeline.hpp"

namespace mrz::optical::detail {
namespace {

constexpr double kWorkingSide = 900.0;  // pixels on the longer side for locating

struct Block {
  std::array<cv::Point2f, 4> corners;  // in the working image
  double score;
};

// Orders a rotated box's corners as TL, TR, BR, BL along its (near-horizontal) long axis.
std::array<cv::Point2f, 4> ordered_corners(const cv::RotatedRect& box, float angle) {
  cv::Point2f pts[4];
  box.points(pts);
  const cv::Point2f axis(std::cos(angle * static_cast<float>(CV_PI) / 180.0F), std::sin(angle * static_cast<float>(CV_PI) / 180.0F));
  const cv::Point2f normal(-axis.y, axis.x);
  std::array<cv::Point2f, 4> ordered{};
  for (const auto& p : pts) {
    const cv::Point2f d = p - box.center;
    const bool right = d.dot(axis) > 0;
    const bool below = d.dot(normal) > 0;
    ordered[below ? (right ? 2 : 3) : (right ? 1 : 0)] = p;
  }
  return ordered;
}

// A box with its long side horizontal-ish; false when the text would run more than 30 degrees off.
bool horizontal_box(std::vector<cv::Point2f> points, cv::RotatedRect& box, float& angle) {
  box = cv::minAreaRect(points);
  if (box.size.width < box.size.height) {
    std::swap(box.size.width, box.size.height);
    box.angle += 90.0F;
  }
  angle = std::fmod(box.angle + 360.0F, 180.0F);
  if (angle > 90.0F) angle -= 180.0F;
  box.angle = angle;
  return std::abs(angle) <= 30.0F;
}

// Lines of one MRZ that the closing did not join (a wider line gap than usual) are joined here:
// parallel blocks, one above the other, each within about a line's height of the next.
void join_stacked(std::vector<Block>& blocks) {
  const std::size_t original = blocks.size();
  for (std::size_t i = 0; i < original; ++i) {
    for (std::size_t j = 0; j < original; ++j) {
      if (i == j) continue;
      const auto& a = blocks[i].corners;
      const auto& b = blocks[j].corners;
      const cv::Point2f axis = (a[1] - a[0]) * (1.0F / std::max(1.0F, static_cast<float>(cv::norm(a[1] - a[0]))));
      const cv::Point2f normal(-axis.y, axis.x);
      const float a_height = static_cast<float>(cv::norm(a[3] - a[0]));
      const float b_height = static_cast<float>(cv::norm(b[3] - b[0]));
      // b starts below a's bottom edge, by less than a line's height.
      const float gap = (b[0] - a[3]).dot(normal);
      if (gap < -0.3F * a_height || gap > 1.2F * std::min(a_height, b_height)) continue;
      const float a0 = 0;
      const float a1 = (a[1] - a[0]).dot(axis);
      const float b0 = (b[0] - a[0]).dot(axis);
      const float b1 = (b[1] - a[0]).dot(axis);
      const float overlap = std::min(a1, b1) - std::max(a0, b0);
      if (overlap < 0.6F * std::min(a1 - a0, b1 - b0)) continue;
      std::vector<cv::Point2f> points(a.begin(), a.end());
      points.insert(points.end(), b.begin(), b.end());
      cv::RotatedRect box;
      float angle = 0;
      if (!horizontal_box(points, box, angle)) continue;
      blocks.push_back(Block{ordered_corners(box, angle), blocks[i].score + blocks[j].score});
    }
  }
}

std::vector<Block> find_blocks(const cv::Mat& work) {
  cv::Mat blackhat;
  cv::morphologyEx(work, blackhat, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, {17, 11}));
  cv::Mat text;
  cv::threshold(blackhat, text, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::morphologyEx(text, text, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {2, 2}));
  // Characters into lines, then lines into a block.
  cv::morphologyEx(text, text, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {21, 3}));
  cv::morphologyEx(text, text, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {3, 17}));
  cv::erode(text, text, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
  cv::dilate(text, text, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(text, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Block> blocks;
  const double min_length = 0.18 * std::max(work.cols, work.rows);
  for (const auto& contour : contours) {
    cv::RotatedRect box;
    float angle = 0;
    std::vector<cv::Point2f> points(contour.begin(), contour.end());
    if (!horizontal_box(points, box, angle)) continue;
    const double length = box.size.width;
    const double ratio = length / std::max(1.0F, box.size.height);
    if (length < min_length || ratio < 3.0 || ratio > 60.0) continue;
    const double fill = cv::contourArea(contour) / std::max(1.0, static_cast<double>(box.size.area()));
    // The MRZ is normally the longest, densest text block; the reader verifies each in turn.
    blocks.push_back(Block{ordered_corners(box, angle), length * fill});
  }
  join_stacked(blocks);
  return blocks;
}

}  // namespace

std::vector<Candidate> locate(const cv::Mat& gray, const cv::Rect2f* region_hint) {
  const double scale = std::min(1.0, kWorkingSide / std::max(gray.cols, gray.rows));
  cv::Mat small;
  cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  std::vector<Candidate> out;
  for (const bool quarter : {false, true}) {
    cv::Mat work = small;
    if (quarter) cv::rotate(small, work, cv::ROTATE_90_COUNTERCLOCKWISE);
    for (const auto& block : find_blocks(work)) {
      Candidate c;
      c.quarter_turn = quarter;
      c.score = block.score;
      for (int i = 0; i < 4; ++i) {
        cv::Point2f p = block.corners[i];
        // Undo the counter-clockwise quarter turn: work (x, y) came from small (W-1-y, x).
        if (quarter) p = cv::Point2f(static_cast<float>(small.cols - 1) - p.y, p.x);
        c.corners[i] = p * static_cast<float>(1.0 / scale);
      }
      if (region_hint != nullptr) {
        cv::Point2f centre = (c.corners[0] + c.corners[2]) * 0.5F;
        const cv::Point2f relative(centre.x / static_cast<float>(gray.cols), centre.y / static_cast<float>(gray.rows));
        if (region_hint->contains(relative)) c.score *= 2.0;
      }
      out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  return out;
}

}  // namespace mrz::optical::detail
