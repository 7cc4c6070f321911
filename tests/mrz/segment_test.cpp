// The segmentation stage on drawn crops: where the grid of character cells lands.
#include <doctest/doctest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "pipeline.hpp"

using namespace mrz::optical::detail;

namespace {

constexpr int kCells = 44;
constexpr float kPitch = 30.0F;
constexpr float kFirst = 40.0F;

// Where cell i of a line printed with the given bend really is.
float true_centre(int i, float bend) {
  const auto x = static_cast<float>(i);
  return kFirst + kPitch * (x + bend * x * (x - (kCells - 1)));
}

// Two lines of block glyphs (about as wide as OCR-B's), each cell's centre where true_centre says.
Crop drawn_crop(float bend) {
  Crop crop;
  crop.image = cv::Mat(130, static_cast<int>(kFirst + kPitch * kCells + 40), CV_8U, cv::Scalar(220));
  for (const int top : {30, 80}) {
    for (int i = 0; i < kCells; ++i) {
      const float centre = true_centre(i, bend);
      const float half = 0.31F * kPitch;
      cv::rectangle(crop.image, cv::Point2f(centre - half, static_cast<float>(top)),
                    cv::Point2f(centre + half, static_cast<float>(top + 26)), cv::Scalar(40), cv::FILLED);
    }
  }
  cv::threshold(crop.image, crop.mask, 128, 255, cv::THRESH_BINARY_INV);
  crop.to_page = cv::Matx33d::eye();
  return crop;
}

float worst_miss(const std::vector<Line>& lines, float bend) {
  float worst = 0;
  for (const auto& line : lines) {
    for (int i = 0; i < kCells; ++i) {
      worst = std::max(worst, std::abs(cell_centre(line, static_cast<float>(i)) - true_centre(i, bend)));
    }
  }
  return worst / kPitch;
}

std::vector<Line> fitted(const Crop& crop) {
  auto lines = pick_lines(find_lines(crop), 2);
  REQUIRE(lines.size() == 2);
  for (auto& line : lines) REQUIRE(fit_pitch(crop, line, kCells));
  harmonise_pitch(crop, lines, kCells);
  return lines;
}

}  // namespace

TEST_CASE("cells printed at an even pitch get a straight grid on every cell") {
  const auto lines = fitted(drawn_crop(0.0F));
  CHECK(worst_miss(lines, 0.0F) < 0.1F);
  CHECK(lines[0].bend == 0.0F);
}

TEST_CASE("cells whose pitch drifts along the line (perspective) are followed by a bent grid") {
  // A third of a cell off a straight line in the middle: a straight grid misses the ends' cells.
  const float bend = -0.33F / (21.5F * 21.5F);
  const auto lines = fitted(drawn_crop(bend));
  CHECK(worst_miss(lines, bend) < 0.12F);
  CHECK(lines[0].bend < 0.0F);
}
