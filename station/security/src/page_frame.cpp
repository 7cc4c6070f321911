// The document's millimetre frame from the MRZ's position (see page_frame.hpp).
#include "page_frame.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace borderpost::station::security {

PageLayout layout_of(mrz::Format format) {
  switch (format) {
    case mrz::Format::TD1: return {85.6, 54.0, 5.0, 4.0, 4.23, 30, 3};
    case mrz::Format::TD2: return {105.0, 74.0, 4.0, 4.5, 4.23, 36, 2};
    case mrz::Format::MRVB: return {105.0, 74.0, 4.0, 4.5, 4.23, 36, 2};
    case mrz::Format::MRVA: return {120.0, 80.0, 4.0, 4.5, 4.23, 44, 2};
    default: return {125.0, 88.0, 6.0, 4.5, 4.23, 44, 2};
  }
}

PageFrame frame_of(const std::array<cv::Point2f, 4>& quad, const PageLayout& layout) {
  PageFrame f;
  const cv::Point2f top = quad[1] - quad[0];
  const float length = std::hypot(top.x, top.y);
  const float px_per_mm = length / static_cast<float>(layout.characters * 2.54);
  if (length < 1.0F || px_per_mm <= 0.0F) return f;
  f.origin = quad[0];
  f.along = top / length * px_per_mm;
  f.down = cv::Point2f(-f.along.y, f.along.x);
  f.mrz_width_mm = layout.characters * 2.54;
  const cv::Point2f side = quad[3] - quad[0];
  f.mrz_height_mm = (side.x * f.down.x + side.y * f.down.y) / (px_per_mm * px_per_mm);
  return f;
}

PageFrame PageFrame::scaled(cv::Size from, cv::Size to) const {
  if (from == to || from.width == 0 || from.height == 0) return *this;
  const float sx = static_cast<float>(to.width) / static_cast<float>(from.width);
  const float sy = static_cast<float>(to.height) / static_cast<float>(from.height);
  PageFrame f = *this;
  f.origin = {origin.x * sx, origin.y * sy};
  f.along = {along.x * sx, along.y * sy};
  f.down = {down.x * sx, down.y * sy};
  return f;
}

cv::Mat cut(const cv::Mat& image, const PageFrame& frame, double x0, double y0, double x1, double y1, double px_per_mm,
            cv::Mat* inside) {
  const int width = static_cast<int>(std::lround((x1 - x0) * px_per_mm));
  const int height = static_cast<int>(std::lround((y1 - y0) * px_per_mm));
  if (image.empty() || width < 2 || height < 2 || width > 20000 || height > 20000) return {};
  const cv::Point2f from[3] = {frame.at(x0, y0), frame.at(x1, y0), frame.at(x0, y1)};
  const cv::Point2f to[3] = {{0, 0}, {static_cast<float>(width), 0}, {0, static_cast<float>(height)}};
  const cv::Mat transform = cv::getAffineTransform(from, to);
  cv::Mat out;
  cv::warpAffine(image, out, transform, {width, height}, cv::INTER_AREA, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  if (inside) {
    const cv::Mat all(image.size(), CV_8UC1, cv::Scalar(255));
    cv::warpAffine(all, *inside, transform, {width, height}, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));
  }
  return out;
}

}  // namespace borderpost::station::security
