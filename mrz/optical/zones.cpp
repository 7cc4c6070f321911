#include "mrz_optical/zones.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace mrz::optical {
namespace {

constexpr float kPitchMm = 2.54f;  // OCR-B size 1 at 10 characters per inch

struct Layout {
  int characters;       // per MRZ line
  float viz_height_mm;  // data page height minus the MRZ zone
  float portrait_right_mm;  // from the first MRZ character to Zone V's right edge (35 mm photo + tolerance)
};

std::optional<Layout> layout_of(Format format) {
  switch (format) {
    case Format::TD3:
    case Format::MRVA: return Layout{44, 88.0f - 23.2f, 33.0f};
    case Format::TD2:
    case Format::MRVB: return Layout{36, 74.0f - 17.0f, 31.0f};
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<Quad> portrait_zone(const Quad& mrz_text, Format format) {
  const auto layout = layout_of(format);
  if (!layout) return std::nullopt;
  const cv::Point2f along = mrz_text[1] - mrz_text[0];
  const float text_length = std::hypot(along.x, along.y);
  if (text_length < 1.0f) return std::nullopt;
  const float px_per_mm = text_length / (static_cast<float>(layout->characters) * kPitchMm);
  const cv::Point2f u = along / text_length;  // along the lines
  const cv::Point2f v(-u.y, u.x);             // down the page
  // Zone V reaches from the page's left margin (the MRZ starts 6 mm in; 2 mm are kept clear) to its
  // right edge, and from the top of the MRZ zone (about 3 mm above the first line) to the page's top.
  const cv::Point2f left = mrz_text[0] - u * (4.0f * px_per_mm);
  const cv::Point2f bottom_shift = -v * (3.0f * px_per_mm);
  const cv::Point2f height = -v * (layout->viz_height_mm * px_per_mm);
  const cv::Point2f width = u * ((4.0f + layout->portrait_right_mm) * px_per_mm);
  const cv::Point2f bottom_left = left + bottom_shift;
  return Quad{bottom_left + height, bottom_left + height + width, bottom_left + width, bottom_left};
}

cv::Mat cut_zone(const cv::Mat& page, const Quad& zone, int width) {
  const float zone_width = static_cast<float>(cv::norm(zone[1] - zone[0]));
  const float zone_height = static_cast<float>(cv::norm(zone[3] - zone[0]));
  if (page.empty() || width <= 0 || zone_width < 1.0f || zone_height < 1.0f) return {};
  const int height = std::max(1, static_cast<int>(std::lround(width * zone_height / zone_width)));
  const cv::Point2f from[4] = {zone[0], zone[1], zone[2], zone[3]};
  const cv::Point2f to[4] = {{0, 0}, {static_cast<float>(width), 0}, {static_cast<float>(width), static_cast<float>(height)},
                             {0, static_cast<float>(height)}};
  cv::Mat out;
  cv::warpPerspective(page, out, cv::getPerspectiveTransform(from, to), cv::Size(width, height), cv::INTER_AREA, cv::BORDER_CONSTANT,
                      cv::Scalar(255, 255, 255));
  return out;
}

}  // namespace mrz::optical
