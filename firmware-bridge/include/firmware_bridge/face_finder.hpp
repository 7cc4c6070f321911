// Faces in a picture, found with OpenCV's Haar cascade: the one detector behind the traveller
// camera's portrait and the station's check for the photo on a data page. Each caller prepares the
// grey image for its own light (a live camera, a printed photo) and decides what a face means.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace cv {
class CascadeClassifier;
}

namespace borderpost::bridge {

// The frontal-face model of Debian's opencv-data.
inline constexpr const char* kDefaultFaceModel = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

class FaceFinder {
 public:
  // Loads the cascade at `model`. A missing or broken file is not an exception here: loaded() says
  // so, and the caller decides what that means for it.
  explicit FaceFinder(const std::string& model);
  ~FaceFinder();
  FaceFinder(FaceFinder&&) noexcept;
  FaceFinder& operator=(FaceFinder&&) noexcept;

  bool loaded() const;
  const std::string& model() const { return model_; }

  // The faces in an 8-bit grey image, none narrower than `smallest` pixels (nor than the cascade's
  // 24-pixel window), each confirmed by `neighbours` overlapping detections: more, fewer false
  // faces and more missed. Not thread-safe: one finder per thread. Throws cv::Exception on an
  // image OpenCV refuses.
  std::vector<cv::Rect> find(const cv::Mat& gray, int smallest, int neighbours);

 private:
  std::string model_;
  std::unique_ptr<cv::CascadeClassifier> cascade_;
};

// The largest face (the traveller nearest the camera, the portrait on a page); an empty box when
// there is none.
cv::Rect largest_face(const std::vector<cv::Rect>& faces);

}  // namespace borderpost::bridge
