// Finding the MRZ block on a page: dark-on-light text emphasised with a black-hat filter and joined
// into text lines by morphological closing; two or three parallel, equal, evenly spaced lines make
// a candidate. Both of the page's axis directions are searched.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "pipeline.hpp"

namespace mrz::optical::detail {
namespace {

struct Block {
  std::array<cv::Point2f, 4> corners;  // in the working image
  double score;
  int lines;
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

struct TextLine {
  cv::RotatedRect box;
  std::array<cv::Point2f, 4> corners;
  float angle;
  float length;
  float height;
};

// Whether lines (top to bottom) look like an MRZ: parallel, the same length, starting at the same
// place, evenly and closely spaced.
bool mrz_like(const std::vector<const TextLine*>& lines) {
  const TextLine& first = *lines.front();
  const cv::Point2f axis = (first.corners[1] - first.corners[0]) * (1.0F / std::max(1.0F, first.length));
  const cv::Point2f normal(-axis.y, axis.x);
  float previous_offset = 0;
  float first_spacing = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const TextLine& line = *lines[i];
    if (std::abs(line.angle - first.angle) > 3.0F) return false;
    if (std::abs(line.length - first.length) > 0.12F * first.length) return false;
    const cv::Point2f shift = line.box.center - first.box.center;
    if (std::abs(shift.dot(axis)) > 0.06F * first.length) return false;
    const float offset = shift.dot(normal);
    const float spacing = offset - previous_offset;
    const float h = std::max(first.height, line.height);
    if (spacing < 1.1F * h || spacing > 3.2F * h) return false;
    if (i == 1) first_spacing = spacing;
    if (i == 2 && std::abs(spacing - first_spacing) > 0.25F * first_spacing) return false;
    previous_offset = offset;
  }
  return true;
}

// The extent of a line's corners along a direction.
std::pair<float, float> extent_along(const TextLine& line, cv::Point2f axis) {
  float lo = INFINITY;
  float hi = -INFINITY;
  for (const auto& p : line.corners) {
    lo = std::min(lo, p.dot(axis));
    hi = std::max(hi, p.dot(axis));
  }
  return {lo, hi};
}

// One line from the points of several; false when the joined box is not horizontal-ish.
bool joined_line(const std::vector<cv::Point2f>& points, TextLine& out) {
  if (!horizontal_box(points, out.box, out.angle)) return false;
  out.length = out.box.size.width;
  out.height = out.box.size.height;
  out.corners = ordered_corners(out.box, out.angle);
  return true;
}

// Pieces of one text line joined again. Faint filler runs ('<<<<' in laser engraving) can vanish
// from the text mask and split an MRZ line in two, and neither piece then matches its neighbour.
void join_broken_lines(std::vector<TextLine>& lines) {
  for (bool joined = true; joined;) {
    joined = false;
    for (std::size_t i = 0; i < lines.size() && !joined; ++i) {
      for (std::size_t j = i + 1; j < lines.size() && !joined; ++j) {
        const TextLine& a = lines[i];
        const TextLine& b = lines[j];
        if (std::abs(a.angle - b.angle) > 2.0F) continue;
        const float radians = a.angle * static_cast<float>(CV_PI) / 180.0F;
        const cv::Point2f axis(std::cos(radians), std::sin(radians));
        const cv::Point2f normal(-axis.y, axis.x);
        const float h = std::max(a.height, b.height);
        if (std::abs((b.box.center - a.box.center).dot(normal)) > 0.4F * h) continue;
        const auto [a0, a1] = extent_along(a, axis);
        const auto [b0, b1] = extent_along(b, axis);
        if (std::max(b0 - a1, a0 - b1) > 3.0F * h) continue;
        std::vector<cv::Point2f> points(a.corners.begin(), a.corners.end());
        points.insert(points.end(), b.corners.begin(), b.corners.end());
        TextLine both;
        if (!joined_line(points, both) || both.height > 1.5F * h) continue;
        lines[i] = both;
        lines.erase(lines.begin() + static_cast<long>(j));
        joined = true;
      }
    }
  }
}

std::vector<Block> find_blocks(const cv::Mat& work) {
  cv::Mat blackhat;
  cv::morphologyEx(work, blackhat, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, {17, 11}));
  cv::Mat text;
  cv::threshold(blackhat, text, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::morphologyEx(text, text, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {2, 2}));
  // Thin strokes (laser engraving) thickened, then characters joined into text lines.
  cv::dilate(text, text, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  cv::morphologyEx(text, text, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {27, 3}));
  cv::morphologyEx(text, text, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {7, 3}));

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(text, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<TextLine> lines;
  const float min_length = 0.15F * static_cast<float>(std::max(work.cols, work.rows));
  for (const auto& contour : contours) {
    TextLine line;
    const std::vector<cv::Point2f> points(contour.begin(), contour.end());
    if (!joined_line(points, line)) continue;
    // Pieces of a broken line may be short: keep them until the joining is done.
    if (line.length < 0.3F * min_length || line.length < 4.0F * line.height || line.height < 3.0F) continue;
    lines.push_back(line);
  }
  join_broken_lines(lines);
  std::erase_if(lines, [&](const TextLine& l) { return l.length < min_length || l.length < 8.0F * l.height; });
  // Top to bottom in the lines' own frame.
  auto across = [](const TextLine& l) {
    const float radians = l.angle * static_cast<float>(CV_PI) / 180.0F;
    return -std::sin(radians) * l.box.center.x + std::cos(radians) * l.box.center.y;
  };
  std::sort(lines.begin(), lines.end(), [&](const TextLine& a, const TextLine& b) { return across(a) < across(b); });
  std::vector<Block> blocks;
  auto add = [&](const std::vector<const TextLine*>& group) {
    std::vector<cv::Point2f> points;
    double length = 0;
    for (const auto* line : group) {
      points.insert(points.end(), line->corners.begin(), line->corners.end());
      length += line->length;
    }
    cv::RotatedRect box;
    float angle = 0;
    if (!horizontal_box(points, box, angle)) return;
    blocks.push_back(Block{ordered_corners(box, angle), length, static_cast<int>(group.size())});
  };
  // Two MRZ lines the closing ran together (heavy blur, strong skew): as long as an MRZ line and
  // about two of its lines tall (44 characters are some 17 line heights long, 36 some 14).
  for (const auto& line : lines) {
    const float ratio = line.length / line.height;
    if (ratio >= 12.0F && ratio <= 20.0F && line.length >= 2.0F * min_length) {
      blocks.push_back(Block{line.corners, line.length, 2});
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      if (!mrz_like({&lines[i], &lines[j]})) continue;
      add({&lines[i], &lines[j]});
      for (std::size_t k = j + 1; k < lines.size(); ++k) {
        if (mrz_like({&lines[i], &lines[j], &lines[k]})) add({&lines[i], &lines[j], &lines[k]});
      }
    }
  }
  return blocks;
}

}  // namespace

std::vector<Candidate> locate(const cv::Mat& gray, const cv::Rect2f* region_hint, double working_side) {
  const double scale = working_side / std::max(gray.cols, gray.rows);
  cv::Mat small;
  cv::resize(gray, small, {}, scale, scale, scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
  std::vector<Candidate> out;
  for (const bool quarter : {false, true}) {
    cv::Mat work = small;
    if (quarter) cv::rotate(small, work, cv::ROTATE_90_COUNTERCLOCKWISE);
    for (const auto& block : find_blocks(work)) {
      Candidate c;
      c.quarter_turn = quarter;
      c.score = block.score;
      c.lines = block.lines;
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
