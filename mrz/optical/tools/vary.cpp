// Printing and capture variation for the classifier's training pages.
#include "vary.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace mrz::optical::training {
namespace {

double uniform(std::mt19937& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
bool chance(std::mt19937& rng, double p) { return uniform(rng, 0.0, 1.0) < p; }

void move_quad(std::array<cv::Point2f, 4>& quad, const cv::Mat& homography) {
  std::vector<cv::Point2f> points(quad.begin(), quad.end());
  cv::perspectiveTransform(points, points, homography);
  std::copy(points.begin(), points.end(), quad.begin());
}

// Ink that dots: a printer head of pins leaves regular holes in every stroke.
void dot_matrix(cv::Mat& gray, std::mt19937& rng) {
  const int period = 3 + static_cast<int>(rng() % 2);
  cv::Mat paper;
  cv::dilate(gray, paper, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  for (int y = 0; y < gray.rows; ++y) {
    auto* row = gray.ptr<uchar>(y);
    const auto* light = paper.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; ++x) {
      if (x % period == period - 1 || y % period == period - 1) row[x] = light[x];
    }
  }
  cv::GaussianBlur(gray, gray, {0, 0}, 0.7);
}

}  // namespace

void vary_capture(cv::Mat& gray, std::mt19937& rng) {
  if (chance(rng, 0.5)) cv::GaussianBlur(gray, gray, {0, 0}, uniform(rng, 0.4, 1.4));
  if (chance(rng, 0.5)) {
    cv::Mat noise(gray.size(), CV_16S);
    cv::randn(noise, 0, uniform(rng, 2.0, 10.0));
    cv::Mat wide;
    gray.convertTo(wide, CV_16S);
    wide += noise;
    wide.convertTo(gray, CV_8U);
  }
  if (chance(rng, 0.6)) {
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", gray, jpeg, {cv::IMWRITE_JPEG_QUALITY, static_cast<int>(uniform(rng, 25, 90))});
    gray = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
  }
}

void vary_page(cv::Mat& gray, std::array<cv::Point2f, 4>& quad, double strength, std::mt19937& rng) {
  // Character width: other OCR-B cuts and printers run narrower or wider than the font's own.
  if (chance(rng, 0.6 * strength)) {
    const double sx = uniform(rng, 0.82, 1.18);
    cv::resize(gray, gray, {}, sx, 1.0, cv::INTER_AREA);
    for (auto& p : quad) p.x *= static_cast<float>(sx);
  }
  // Stroke weight: toner spread and ink bleed thicken strokes, laser engraving thins them.
  const double stroke = uniform(rng, 0.0, 1.0);
  if (stroke < 0.3 * strength) {
    const int k = chance(rng, 0.5) ? 2 : 3;
    cv::erode(gray, gray, cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  } else if (stroke < 0.5 * strength) {
    cv::dilate(gray, gray, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2, 2}));
  }
  if (chance(rng, 0.08 * strength)) dot_matrix(gray, rng);
  // A phone held not quite flat over the page.
  if (chance(rng, 0.3 * strength)) {
    const float w = static_cast<float>(gray.cols);
    const float h = static_cast<float>(gray.rows);
    const std::array<cv::Point2f, 4> from = {cv::Point2f{0, 0}, {w, 0}, {w, h}, {0, h}};
    std::array<cv::Point2f, 4> to = from;
    for (auto& p : to) {
      p.x += static_cast<float>(uniform(rng, -0.035, 0.035)) * w;
      p.y += static_cast<float>(uniform(rng, -0.035, 0.035)) * h;
    }
    const cv::Mat homography = cv::getPerspectiveTransform(from.data(), to.data());
    cv::warpPerspective(gray, gray, homography, gray.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    move_quad(quad, homography);
  }
  // Low resolution: a distant camera or a 150-dpi scan.
  if (chance(rng, 0.3 * strength)) {
    const double s = uniform(rng, 0.45, 0.85);
    cv::resize(gray, gray, {}, s, s, cv::INTER_AREA);
    for (auto& p : quad) p *= static_cast<float>(s);
  }
  // Faint ink and uneven light.
  if (chance(rng, 0.5 * strength)) {
    const double contrast = uniform(rng, 0.35, 1.0);
    const double lift = uniform(rng, -20, 15);
    gray.convertTo(gray, CV_8U, contrast, (1.0 - contrast) * 235.0 + lift);
  }
  if (chance(rng, 0.3 * strength)) {
    cv::Mat light(gray.size(), CV_32F);
    const double angle = uniform(rng, 0, 2 * CV_PI);
    const double low = uniform(rng, 0.55, 0.9);
    for (int y = 0; y < gray.rows; ++y) {
      auto* row = light.ptr<float>(y);
      for (int x = 0; x < gray.cols; ++x) {
        const double t = (std::cos(angle) * x / gray.cols + std::sin(angle) * y / gray.rows + 1.0) / 2.0;
        row[x] = static_cast<float>(low + (1.0 - low) * std::clamp(t, 0.0, 1.0));
      }
    }
    cv::Mat f;
    gray.convertTo(f, CV_32F);
    f = f.mul(light);
    f.convertTo(gray, CV_8U);
  }
  if (chance(rng, strength)) vary_capture(gray, rng);
}

}  // namespace mrz::optical::training
