// Camera sources through cv::VideoCapture: V4L2 for device nodes and indexes (UVC cameras), and
// whatever backend plays a file or a numbered-frame pattern for recordings.
#include "video_source.hpp"

#include <opencv2/imgproc.hpp>

namespace borderpost::bridge::video {

bool open(cv::VideoCapture& cap, const CameraSettings& camera) {
  try {
    cap.release();
    const auto& source = camera.source;
    const bool index = !source.empty() && source.find_first_not_of("0123456789") == std::string::npos;
    if (index) cap.open(std::stoi(source), cv::CAP_V4L2);
    else if (source.rfind("/dev/", 0) == 0) cap.open(source, cv::CAP_V4L2);
    else cap.open(source);
    if (!cap.isOpened()) return false;
    if (camera.width > 0) cap.set(cv::CAP_PROP_FRAME_WIDTH, camera.width);
    if (camera.height > 0) cap.set(cv::CAP_PROP_FRAME_HEIGHT, camera.height);
    return true;
  } catch (const std::exception&) {  // cv::Exception, and std::stoi on an index too large
    cap.release();
    return false;
  }
}

Frame read(cv::VideoCapture& cap, cv::Mat& bgr) {
  cv::Mat frame;
  try {
    if (!cap.read(frame)) return Frame::Gone;
    if (frame.empty() || frame.cols < 16 || frame.rows < 16) return Frame::Bad;
    if (frame.depth() != CV_8U) {
      // Some backends hand over 16-bit frames; scale them rather than refuse them.
      frame.convertTo(frame, CV_8U, frame.depth() == CV_16U ? 1.0 / 256 : 1.0);
    }
    switch (frame.channels()) {
      case 1: cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR); break;
      case 3: bgr = frame; break;
      case 4: cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR); break;
      default: return Frame::Bad;
    }
    return Frame::Good;
  } catch (const cv::Exception&) {
    return Frame::Bad;
  }
}

}  // namespace borderpost::bridge::video
