// The traveller camera: a live photo of the person at the desk for the movement record. One frame
// on request, the largest face in it found with OpenCV's Haar cascade, cut to an ICAO-like 35:45
// portrait. A missing camera or a frame without a face is an ordinary answer, not an exception.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "firmware_bridge/face_finder.hpp"
#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

struct TravellerPhoto {
  enum class Outcome { Taken, NoFace, CameraUnavailable };
  Outcome outcome = Outcome::CameraUnavailable;
  std::vector<unsigned char> jpeg;  // the portrait when Taken
  std::string message;              // why not, in words for the log and audit (no personal data)
};
std::string_view to_string(TravellerPhoto::Outcome outcome);  // "taken" | "no-face" | "camera-unavailable"

// Where to cut the portrait around a face: the face box widened by the margin, 35:45, the face a
// little above the middle as on a passport photo, moved (or shrunk) to lie inside the frame.
cv::Rect portrait_box(const cv::Rect& face, cv::Size frame, double margin);

class TravellerCamera {
 public:
  // Throws ProfileError when the profile is not a traveller camera's or the face cascade cannot
  // be loaded (Debian: opencv-data). The camera itself is opened at the first photo.
  explicit TravellerCamera(DeviceProfile profile);

  // Blocks for a frame or two; call it off the event loop. Thread-safe (one photo at a time).
  TravellerPhoto take_photo();
  // The portrait in a frame already taken (tests, and a camera that streams elsewhere).
  TravellerPhoto portrait_in(const cv::Mat& frame);

  const std::string& id() const { return profile_.id; }
  const std::string& model() const { return profile_.model; }

 private:
  std::optional<cv::Mat> grab();

  DeviceProfile profile_;
  std::mutex mutex_;
  FaceFinder faces_;
  cv::VideoCapture capture_;
};

}  // namespace borderpost::bridge
