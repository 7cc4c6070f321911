// Grey images (see gray_image.hpp).
#include "firmware_bridge/gray_image.hpp"

#include <opencv2/imgproc.hpp>

namespace borderpost::bridge {

cv::Mat gray_of(const cv::Mat& image) {
  cv::Mat gray;
  if (image.channels() == 1) gray = image;
  else if (image.channels() == 3) cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  else if (image.channels() == 4) cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  if (!gray.empty() && gray.depth() != CV_8U) gray.convertTo(gray, CV_8U);
  return gray;
}

}  // namespace borderpost::bridge
