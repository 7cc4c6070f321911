#include "degrade.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace render2 {
namespace {

// The working image: three float planes in 0..255, row-major.
struct Planes {
  int w = 0, h = 0;
  std::array<std::vector<float>, 3> c;
  float& at(int ch, int x, int y) { return c[static_cast<std::size_t>(ch)][static_cast<std::size_t>(y) * w + x]; }
};

Planes to_planes(const cv::Mat& bgr) {
  Planes p;
  p.w = bgr.cols;
  p.h = bgr.rows;
  for (auto& plane : p.c) plane.resize(static_cast<std::size_t>(p.w) * p.h);
  for (int y = 0; y < p.h; ++y) {
    const auto* row = bgr.ptr<unsigned char>(y);
    for (int x = 0; x < p.w; ++x) {
      for (int ch = 0; ch < 3; ++ch) p.at(ch, x, y) = row[3 * x + ch];
    }
  }
  return p;
}

cv::Mat to_mat(Planes& p) {
  cv::Mat out(p.h, p.w, CV_8UC3);
  for (int y = 0; y < p.h; ++y) {
    auto* row = out.ptr<unsigned char>(y);
    for (int x = 0; x < p.w; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        row[3 * x + ch] = static_cast<unsigned char>(std::clamp(std::lround(p.at(ch, x, y)), 0L, 255L));
      }
    }
  }
  return out;
}

// Smooth random field ("value noise"): random values on a coarse lattice, interpolated with a
// smoothstep; `cell` pixels between lattice points. Values in -1..1.
class ValueNoise {
 public:
  ValueNoise(int w, int h, double cell, Rng& rng) : cell_(cell) {
    gw_ = static_cast<int>(w / cell) + 2;
    gh_ = static_cast<int>(h / cell) + 2;
    grid_.resize(static_cast<std::size_t>(gw_) * gh_);
    for (auto& v : grid_) v = static_cast<float>(rng.uniform(-1, 1));
  }
  float operator()(int x, int y) const {
    const double fx = x / cell_, fy = y / cell_;
    const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
    const double tx = smooth(fx - ix), ty = smooth(fy - iy);
    const auto g = [this](int gx, int gy) { return grid_[static_cast<std::size_t>(gy) * gw_ + gx]; };
    const double top = g(ix, iy) + (g(ix + 1, iy) - g(ix, iy)) * tx;
    const double bottom = g(ix, iy + 1) + (g(ix + 1, iy + 1) - g(ix, iy + 1)) * tx;
    return static_cast<float>(top + (bottom - top) * ty);
  }

 private:
  static double smooth(double t) { return t * t * (3 - 2 * t); }
  double cell_;
  int gw_ = 0, gh_ = 0;
  std::vector<float> grid_;
};

// Paper and lid texture: two octaves of value noise, multiplied in (amplitude as a fraction).
void texture(Planes& p, double amplitude, Rng& rng) {
  const ValueNoise coarse(p.w, p.h, rng.uniform(30, 60), rng);
  const ValueNoise fine(p.w, p.h, rng.uniform(3, 7), rng);
  for (int y = 0; y < p.h; ++y) {
    for (int x = 0; x < p.w; ++x) {
      const float k = static_cast<float>(1 + amplitude * (0.6 * coarse(x, y) + 0.4 * fine(x, y)));
      for (int ch = 0; ch < 3; ++ch) p.at(ch, x, y) *= k;
    }
  }
}

// Uneven lighting: a linear falloff in a random direction and, for phones, a vignette.
void lighting(Planes& p, double strength, double vignette, Rng& rng) {
  const double angle = rng.uniform(0, 2 * std::numbers::pi);
  const double dx = std::cos(angle), dy = std::sin(angle);
  const double half = 0.5 * (std::abs(dx) * p.w + std::abs(dy) * p.h);
  const double cx = p.w / 2.0 + rng.uniform(-0.2, 0.2) * p.w, cy = p.h / 2.0 + rng.uniform(-0.2, 0.2) * p.h;
  const double radius = 0.5 * std::hypot(p.w, p.h);
  const double warm = rng.uniform(-0.03, 0.03);  // a slightly warm or cold lamp
  for (int y = 0; y < p.h; ++y) {
    for (int x = 0; x < p.w; ++x) {
      const double t = ((x - p.w / 2.0) * dx + (y - p.h / 2.0) * dy) / half;  // -1..1
      const double r = std::hypot(x - cx, y - cy) / radius;
      const double k = (1 - strength * 0.5 * (1 + t)) * (1 - vignette * r * r);
      p.at(0, x, y) *= static_cast<float>(k * (1 - warm));
      p.at(1, x, y) *= static_cast<float>(k);
      p.at(2, x, y) *= static_cast<float>(k * (1 + warm));
    }
  }
}

// A glare spot: an elliptical Gaussian blend towards white.
void glare(Planes& p, cv::Point2f centre, double radius, double peak, Rng& rng) {
  const double angle = rng.uniform(0, std::numbers::pi);
  const double ca = std::cos(angle), sa = std::sin(angle);
  const double rx = radius, ry = radius * rng.uniform(0.4, 0.9);
  const int x0 = std::max(0, static_cast<int>(centre.x - 3 * radius)), x1 = std::min(p.w, static_cast<int>(centre.x + 3 * radius));
  const int y0 = std::max(0, static_cast<int>(centre.y - 3 * radius)), y1 = std::min(p.h, static_cast<int>(centre.y + 3 * radius));
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const double u = ((x - centre.x) * ca + (y - centre.y) * sa) / rx;
      const double v = (-(x - centre.x) * sa + (y - centre.y) * ca) / ry;
      const double a = peak * std::exp(-0.5 * (u * u + v * v) * 2.0);
      if (a < 0.002) continue;
      for (int ch = 0; ch < 3; ++ch) {
        float& value = p.at(ch, x, y);
        value = static_cast<float>(value + (255 - value) * a);
      }
    }
  }
}

// Convolution of every plane with a 1-D kernel along x, then along y (clamped borders).
void separable(Planes& p, const std::vector<double>& kx, const std::vector<double>& ky) {
  std::vector<float> tmp(static_cast<std::size_t>(p.w) * p.h);
  const int rx = static_cast<int>(kx.size() / 2), ry = static_cast<int>(ky.size() / 2);
  for (auto& plane : p.c) {
    for (int y = 0; y < p.h; ++y) {
      for (int x = 0; x < p.w; ++x) {
        double sum = 0;
        for (int k = -rx; k <= rx; ++k) {
          const int xx = std::clamp(x + k, 0, p.w - 1);
          sum += kx[static_cast<std::size_t>(k + rx)] * plane[static_cast<std::size_t>(y) * p.w + xx];
        }
        tmp[static_cast<std::size_t>(y) * p.w + x] = static_cast<float>(sum);
      }
    }
    for (int y = 0; y < p.h; ++y) {
      for (int x = 0; x < p.w; ++x) {
        double sum = 0;
        for (int k = -ry; k <= ry; ++k) {
          const int yy = std::clamp(y + k, 0, p.h - 1);
          sum += ky[static_cast<std::size_t>(k + ry)] * tmp[static_cast<std::size_t>(yy) * p.w + x];
        }
        plane[static_cast<std::size_t>(y) * p.w + x] = static_cast<float>(sum);
      }
    }
  }
}

std::vector<double> gaussian_kernel(double sigma) {
  if (sigma < 0.05) return {1.0};
  const int r = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[static_cast<std::size_t>(i + r)] = std::exp(-0.5 * i * i / (sigma * sigma));
  for (auto& v : k) v /= sum;
  return k;
}

void gaussian_blur(Planes& p, double sigma_x, double sigma_y) { separable(p, gaussian_kernel(sigma_x), gaussian_kernel(sigma_y)); }

// Camera shake: a short box blur along one direction (horizontal or vertical, the common cases).
void motion_blur(Planes& p, int length, bool horizontal) {
  std::vector<double> box(static_cast<std::size_t>(2 * (length / 2) + 1), 0.0);
  for (auto& v : box) v = 1.0 / static_cast<double>(box.size());
  if (horizontal) separable(p, box, {1.0});
  else separable(p, {1.0}, box);
}

// Sensor noise: Gaussian read noise plus shot noise growing with the signal; mostly shared by
// the three channels (luminance), a little per channel (chroma).
void sensor_noise(Planes& p, double sigma, double shot, Rng& rng) {
  for (int y = 0; y < p.h; ++y) {
    for (int x = 0; x < p.w; ++x) {
      const double luma = rng.normal();
      for (int ch = 0; ch < 3; ++ch) {
        float& value = p.at(ch, x, y);
        const double s = sigma + shot * std::sqrt(std::max(0.0f, value));
        value = static_cast<float>(value + s * (0.9 * luma + 0.2 * rng.normal()));
      }
    }
  }
}

// Low contrast is drawn by the renderer (ink and paper colours); this squeezes the tones of a
// cheap sensor further towards the middle.
void contrast(Planes& p, double factor, double pivot) {
  for (auto& plane : p.c) {
    for (auto& v : plane) v = static_cast<float>(pivot + (v - pivot) * factor);
  }
}

cv::Point2f centroid(const std::array<cv::Point2f, 4>& q) {
  return {(q[0].x + q[1].x + q[2].x + q[3].x) / 4, (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
}

}  // namespace

DegradedPage degrade(const RenderedPage& page, Severity severity, Rng& rng) {
  DegradedPage out;
  out.document_corners = page.document_corners;
  if (severity == Severity::Clean) {
    out.image = page.bgr.clone();
    if (rng.chance(0.35)) cv::cvtColor(out.image, out.image, cv::COLOR_BGR2GRAY);  // grey-mode scanner
    out.steps = "none";
    return out;
  }
  const bool severe = severity == Severity::Severe;
  char buffer[512];
  std::string steps;

  cv::Mat source = page.bgr;
  if (severe) {
    // A phone photo: the page seen at an angle. Each corner of the frame moves by up to 4% of
    // the page's size; the homography maps the frame onto that quadrilateral.
    const float w = static_cast<float>(source.cols), h = static_cast<float>(source.rows);
    const std::array<cv::Point2f, 4> from = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
    std::array<cv::Point2f, 4> to = from;
    const double amount = rng.uniform(0.015, 0.04);
    for (auto& corner : to) {
      corner.x += static_cast<float>(rng.uniform(-amount, amount) * w);
      corner.y += static_cast<float>(rng.uniform(-amount, amount) * h);
    }
    const cv::Mat homography = cv::getPerspectiveTransform(from.data(), to.data());
    cv::Mat warped;
    cv::warpPerspective(source, warped, homography, source.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    source = warped;
    std::vector<cv::Point2f> corners(page.document_corners.begin(), page.document_corners.end());
    cv::perspectiveTransform(corners, corners, homography);
    std::copy(corners.begin(), corners.end(), out.document_corners.begin());
    std::snprintf(buffer, sizeof buffer, "perspective=%.1f%% ", amount * 100);
    steps += buffer;
  }

  Planes p = to_planes(source);
  const double tex = severe ? rng.uniform(0.03, 0.06) : rng.uniform(0.01, 0.03);
  texture(p, tex, rng);
  const double light = severe ? rng.uniform(0.12, 0.35) : rng.uniform(0.04, 0.15);
  const double vignette = severe ? rng.uniform(0.1, 0.3) : 0.0;
  lighting(p, light, vignette, rng);
  std::snprintf(buffer, sizeof buffer, "texture=%.0f%% light=%.0f%% vignette=%.0f%% ", tex * 100, light * 100, vignette * 100);
  steps += buffer;
  if (severe) {
    // The glare lands somewhere on the document, now and then right on the MRZ.
    const cv::Point2f doc_centre = centroid(out.document_corners);
    const cv::Point2f mrz_centre = centroid(page.mrz_corners);
    const double t = rng.uniform(0, 1.1);
    const cv::Point2f centre = doc_centre + (mrz_centre - doc_centre) * static_cast<float>(t) +
                               cv::Point2f(static_cast<float>(rng.uniform(-0.25, 0.25) * p.w),
                                           static_cast<float>(rng.uniform(-0.15, 0.15) * p.h));
    const double radius = rng.uniform(0.06, 0.16) * std::min(p.w, p.h);
    const double peak = rng.uniform(0.35, 0.7);
    glare(p, centre, radius, peak, rng);
    const double squeeze = rng.uniform(0.8, 0.95);
    contrast(p, squeeze, page.paper_grey * 0.6);
    std::snprintf(buffer, sizeof buffer, "glare=%.0fpx@%.0f%% contrast=%.2f ", radius, peak * 100, squeeze);
    steps += buffer;
  }
  const double sigma = severe ? rng.uniform(0.9, 1.6) : rng.uniform(0.4, 0.9);
  const double anisotropy = rng.uniform(0.85, 1.15);
  gaussian_blur(p, sigma * anisotropy, sigma / anisotropy);
  std::snprintf(buffer, sizeof buffer, "blur=%.2fpx ", sigma);
  steps += buffer;
  if (severe && rng.chance(0.35)) {
    const int length = rng.between(2, 4);
    const bool horizontal = rng.chance(0.5);
    motion_blur(p, length, horizontal);
    std::snprintf(buffer, sizeof buffer, "shake=%dpx%s ", length, horizontal ? "h" : "v");
    steps += buffer;
  }
  const double noise = severe ? rng.uniform(5, 10) : rng.uniform(2, 5);
  const double shot = severe ? rng.uniform(0.1, 0.3) : rng.uniform(0.0, 0.15);
  sensor_noise(p, noise, shot, rng);
  out.image = to_mat(p);
  if (!severe && rng.chance(0.35)) cv::cvtColor(out.image, out.image, cv::COLOR_BGR2GRAY);  // grey-mode scanner
  out.jpeg_quality = severe ? rng.between(35, 60) : rng.between(60, 85);
  std::snprintf(buffer, sizeof buffer, "noise=%.1f shot=%.2f jpeg=%d%s", noise, shot, out.jpeg_quality,
                out.image.channels() == 1 ? " grey" : "");
  steps += buffer;
  out.steps = steps;
  return out;
}

std::vector<unsigned char> encode(const DegradedPage& page) {
  std::vector<unsigned char> bytes;
  if (page.jpeg_quality > 0) {
    cv::imencode(".jpg", page.image, bytes, {cv::IMWRITE_JPEG_QUALITY, page.jpeg_quality});
  } else {
    cv::imencode(".png", page.image, bytes, {cv::IMWRITE_PNG_COMPRESSION, 9});
  }
  return bytes;
}

}  // namespace render2
