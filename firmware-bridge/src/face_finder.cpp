// Faces with OpenCV's Haar cascade (see face_finder.hpp).
#include "firmware_bridge/face_finder.hpp"

#include <algorithm>

#include <opencv2/objdetect.hpp>

namespace borderpost::bridge {

namespace {

constexpr int kWindowPx = 24;      // the frontal-face cascade's window: nothing smaller is a face to it
constexpr double kScaleStep = 1.1;  // between the sizes searched

}  // namespace

FaceFinder::FaceFinder(const std::string& model) : model_(model), cascade_(std::make_unique<cv::CascadeClassifier>()) {
  try {
    cascade_->load(model_);
  } catch (const cv::Exception&) {
    // Not a cascade OpenCV can parse: left empty, as for a missing file.
  }
}

FaceFinder::~FaceFinder() = default;
FaceFinder::FaceFinder(FaceFinder&&) noexcept = default;
FaceFinder& FaceFinder::operator=(FaceFinder&&) noexcept = default;

bool FaceFinder::loaded() const { return cascade_ && !cascade_->empty(); }

std::vector<cv::Rect> FaceFinder::find(const cv::Mat& gray, int smallest, int neighbours) {
  std::vector<cv::Rect> faces;
  if (!loaded()) return faces;
  const int least = std::max(kWindowPx, smallest);
  cascade_->detectMultiScale(gray, faces, kScaleStep, neighbours, 0, cv::Size(least, least));
  return faces;
}

cv::Rect largest_face(const std::vector<cv::Rect>& faces) {
  const auto most = std::max_element(faces.begin(), faces.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.area() < b.area(); });
  return most == faces.end() ? cv::Rect() : *most;
}

}  // namespace borderpost::bridge
