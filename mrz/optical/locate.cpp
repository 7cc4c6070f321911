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
    cv::RotatedRect box = cv::minAreaRect(contour);
    if (box.size.width < box.size.height) {
      std::swap(box.size.width, box.size.height);
      box.angle += 90.0F;
    }
    // Lines within 30 degrees of horizontal: the other axis is handled by the quarter-turned pass.
    float angle = std::fmod(box.angle + 360.0F, 180.0F);
    if (angle > 90.0F) angle -= 180.0F;
    if (std::abs(angle) > 30.0F) continue;
    box.angle = angle;
    const double length = box.size.width;
    const double ratio = length / std::max(1.0F, box.size.height);
    if (length < min_length || ratio < 3.0 || ratio > 40.0) continue;
    const double fill = cv::contourArea(contour) / std::max(1.0, static_cast<double>(box.size.area()));
    cv::Point2f pts[4];
    box.points(pts);  // bottomLeft, topLeft, topRight, bottomRight for an upright-ish box
    // Order as TL, TR, BR, BL by position along and across the box's axis.
    const cv::Point2f axis(std::cos(angle * static_cast<float>(CV_PI) / 180.0F), std::sin(angle * static_cast<float>(CV_PI) / 180.0F));
    const cv::Point2f normal(-axis.y, axis.x);
    std::array<cv::Point2f, 4> ordered{};
    for (const auto& p : pts) {
      const cv::Point2f d = p - box.center;
      const bool right = d.dot(axis) > 0;
      const bool below = d.dot(normal) > 0;
      ordered[below ? (right ? 2 : 3) : (right ? 1 : 0)] = p;
    }
    blocks.push_back(Block{ordered, length * fill * std::min(ratio, 14.0)});
  }
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
