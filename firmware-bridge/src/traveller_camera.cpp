// The traveller camera: grab, detect, cut, encode. The camera stays open between photos (a UVC
// camera takes a second to wake) and is reopened once when a frame does not come.
#include "firmware_bridge/traveller_camera.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "firmware_bridge/gray_image.hpp"
#include "video_source.hpp"

namespace borderpost::bridge {

std::string_view to_string(TravellerPhoto::Outcome outcome) {
  switch (outcome) {
    case TravellerPhoto::Outcome::Taken: return "taken";
    case TravellerPhoto::Outcome::NoFace: return "no-face";
    case TravellerPhoto::Outcome::CameraUnavailable: return "camera-unavailable";
  }
  return "camera-unavailable";
}

cv::Rect portrait_box(const cv::Rect& face, cv::Size frame, double margin) {
  double width = face.width * (1.0 + 2.0 * margin);
  double height = width * 45.0 / 35.0;
  // Too big for the frame: the largest 35:45 box that fits, still around the face.
  const double fit = std::min({1.0, frame.width / width, frame.height / height});
  width *= fit;
  height *= fit;
  const double cx = face.x + face.width / 2.0;
  const double cy = face.y + face.height / 2.0;
  // On a passport photo the eyes are above the middle; the face box's centre sits near the nose.
  double x = cx - width / 2.0, y = cy - 0.45 * height;
  x = std::clamp(x, 0.0, frame.width - width);
  y = std::clamp(y, 0.0, frame.height - height);
  return {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)), static_cast<int>(std::floor(width)),
          static_cast<int>(std::floor(height))};
}

namespace {

DeviceProfile traveller_camera(DeviceProfile profile) {
  if (profile.device_class != DeviceClass::TravellerCamera || profile.driver != Driver::UvcCamera)
    throw ProfileError(profile.file + ": not a traveller-camera profile with the uvc-camera driver");
  return profile;
}

}  // namespace

TravellerCamera::TravellerCamera(DeviceProfile profile)
    : profile_(traveller_camera(std::move(profile))), faces_(profile_.face.cascade) {
  if (!faces_.loaded())
    throw ProfileError(profile_.file + ": the face detector " + profile_.face.cascade +
                       " cannot be loaded (Debian package opencv-data, or set face.cascade)");
}

std::optional<cv::Mat> TravellerCamera::grab() {
  // Twice: a camera unplugged and back (or a recording played to its end) needs opening again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!capture_.isOpened() && !video::open(capture_, profile_.camera)) return std::nullopt;
    cv::Mat frame;
    int good = 0, tries = 0;
    // The frames a live camera buffered, and those taken while its exposure adapts, are old or dim.
    while (good <= profile_.camera.settle_frames && tries < profile_.camera.settle_frames + 10) {
      ++tries;
      const auto got = video::read(capture_, frame);
      if (got == video::Frame::Gone) break;
      if (got == video::Frame::Good) ++good;
    }
    if (good > profile_.camera.settle_frames) return frame;
    capture_.release();
  }
  return std::nullopt;
}

TravellerPhoto TravellerCamera::take_photo() {
  std::lock_guard lock(mutex_);
  auto frame = grab();
  if (!frame) return {TravellerPhoto::Outcome::CameraUnavailable, {}, "the traveller camera " + profile_.camera.source + " gave no picture"};
  return portrait_in(*frame);
}

TravellerPhoto TravellerCamera::portrait_in(const cv::Mat& frame) {
  try {
    cv::Mat gray;
    cv::equalizeHist(gray_of(frame), gray);
    const auto found = faces_.find(gray, static_cast<int>(profile_.face.min_face * frame.cols), 5);
    if (found.empty()) return {TravellerPhoto::Outcome::NoFace, {}, "no face found in the traveller camera's picture"};
    // The traveller stands nearest the camera: the largest face is theirs, not someone queueing behind.
    const auto face = largest_face(found);
    const auto box = portrait_box(face, frame.size(), profile_.face.margin);
    cv::Mat portrait;
    const int width = profile_.face.width;
    cv::resize(frame(box), portrait, cv::Size(width, static_cast<int>(std::lround(width * 45.0 / 35.0))), 0, 0, cv::INTER_AREA);
    TravellerPhoto photo{TravellerPhoto::Outcome::Taken, {}, {}};
    cv::imencode(".jpg", portrait, photo.jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
    return photo;
  } catch (const cv::Exception& e) {
    return {TravellerPhoto::Outcome::NoFace, {}, std::string("the traveller camera's picture could not be searched for a face: ") + e.what()};
  }
}

}  // namespace borderpost::bridge
