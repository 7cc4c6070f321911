// The document's own coordinates, found from the MRZ the reader located: millimetres along the MRZ
// lines (x) and down the page (y), from the top-left corner of the MRZ's first character cell. Doc
// 9303 fixes the MRZ's pitch and its place on each layout, so this frame locates every zone of the
// page, whatever the document's rotation on the glass. Internal to station_security.
#pragma once

#include <array>

#include <opencv2/core.hpp>

#include "mrz/document.hpp"

namespace borderpost::station::security {

struct PageLayout {
  double width_mm = 125.0;   // the data page
  double height_mm = 88.0;
  double mrz_left_mm = 6.0;  // the first character's left edge from the page's left edge
  double mrz_bottom_mm = 4.5;  // the last line's baseline from the page's bottom edge
  double line_spacing_mm = 4.23;
  int characters = 44;  // per MRZ line
  int lines = 2;
};
PageLayout layout_of(mrz::Format format);  // Doc 9303 Parts 4-7; TD3's for an unknown format

struct PageFrame {
  cv::Point2f origin;  // the MRZ's top-left in image pixels
  cv::Point2f along;   // one millimetre along the lines, in image pixels
  cv::Point2f down;    // one millimetre down the page
  double mrz_height_mm = 0;  // from the first line's top to the last line's bottom
  double mrz_width_mm = 0;

  cv::Point2f at(double x_mm, double y_mm) const {
    return origin + along * static_cast<float>(x_mm) + down * static_cast<float>(y_mm);
  }
  // The same frame on an image of another size (the same page under another light).
  PageFrame scaled(cv::Size from, cv::Size to) const;
};

// The frame from the reader's MRZ quad (text's top-left, top-right, bottom-right, bottom-left).
PageFrame frame_of(const std::array<cv::Point2f, 4>& quad, const PageLayout& layout);

// A rectangle of the frame (x0..x1, y0..y1 in mm) cut out upright at `px_per_mm`. `inside`, when
// given, receives 255 where the cut lies on the image and 0 where it ran off it.
cv::Mat cut(const cv::Mat& image, const PageFrame& frame, double x0, double y0, double x1, double y1, double px_per_mm,
            cv::Mat* inside = nullptr);

}  // namespace borderpost::station::security
