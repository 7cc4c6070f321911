// The document camera driver: one thread reads frames and runs the desk's small state machine
// (empty -> page still for N frames -> capture under each light -> present -> page gone -> empty).
#include "firmware_bridge/camera_page_reader.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "video_source.hpp"

namespace borderpost::bridge {
namespace {

// Frames that are not pictures, in a row, before the camera counts as gone: a glitch is skipped,
// a device that only answers with garbage is not a camera any more.
constexpr int kBadFramesUntilGone = 30;
constexpr double kWatchSide = 960.0;

}  // namespace

// The open device and the bad-frame count, for one connection.
class CameraPageReader::Camera {
 public:
  cv::VideoCapture capture;
  int bad = 0;
  // The next good frame; nullopt when the camera is gone (no frame, or too many bad ones).
  std::optional<cv::Mat> next() {
    cv::Mat frame;
    while (true) {
      switch (video::read(capture, frame)) {
        case video::Frame::Good: bad = 0; return frame;
        case video::Frame::Gone: return std::nullopt;
        case video::Frame::Bad:
          if (++bad >= kBadFramesUntilGone) return std::nullopt;
          break;
      }
    }
  }
};

CameraPageReader::CameraPageReader(DeviceProfile profile, std::unique_ptr<LampSwitch> lamps)
    : profile_(std::move(profile)), lamps_(std::move(lamps)) {
  if ((profile_.device_class != DeviceClass::PageReader && profile_.device_class != DeviceClass::DocumentCamera) || profile_.driver != Driver::UvcCamera)
    throw ProfileError(profile_.file + ": not a uvc-camera page reader profile");
}

CameraPageReader::~CameraPageReader() { stop(); }

std::vector<Light> CameraPageReader::lights() const {
  if (!lamps_) return {Light::White};
  return profile_.lights;
}

void CameraPageReader::start(Listener listener) {
  listener_ = std::move(listener);
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void CameraPageReader::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  wait_.notify_all();
  thread_.join();
}

void CameraPageReader::emit(DeviceEvent::Kind kind, std::string message, Capture capture) {
  if (listener_) listener_({kind, profile_.id, std::move(message), std::move(capture)});
}

void CameraPageReader::run(std::stop_token stop) {
  bool reported_absent = false;
  while (!stop.stop_requested()) {
    Camera camera;
    if (!video::open(camera.capture, profile_.camera)) {
      // Said once, not every retry: the station shows the state, the log need not fill up.
      if (!reported_absent) emit(DeviceEvent::Kind::Disconnected, "the document camera " + profile_.camera.source + " cannot be opened");
      reported_absent = true;
      std::unique_lock lock(wait_mutex_);
      wait_.wait_for(lock, stop, std::chrono::milliseconds(profile_.reconnect_ms), [] { return false; });
      continue;
    }
    reported_absent = false;
    desk_ = Desk::Empty;
    last_seen_.reset();
    still_ = absent_ = 0;
    connected_ = true;
    emit(DeviceEvent::Kind::Connected, profile_.model);
    if (lamps_) {
      try {
        lamps_->select(Light::White);  // presence is judged under white light
      } catch (const DeviceError&) {
        // The capture will say it; watching the desk does not need the lamp.
      }
    }
    bool alive = true;
    while (alive && !stop.stop_requested()) {
      auto frame = camera.next();
      alive = frame && watch(camera, *frame);
    }
    camera.capture.release();
    if (stop.stop_requested()) break;
    connected_ = false;
    emit(DeviceEvent::Kind::Disconnected, "the document camera " + profile_.camera.source + " stopped delivering frames" +
                                              (capturing_ ? "; the capture in progress was abandoned" : ""));
    capturing_ = false;
    reported_absent = true;
    std::unique_lock lock(wait_mutex_);
    wait_.wait_for(lock, stop, std::chrono::milliseconds(profile_.reconnect_ms), [] { return false; });
  }
  connected_ = false;
}

// One frame of the desk; false when the camera was lost during a capture it started.
bool CameraPageReader::watch(Camera& camera, const cv::Mat& frame) {
  // Watching the desk at every frame of an HD camera need not cost full resolution: presence and
  // stillness are judged on a copy at most kWatchSide wide; the capture finds the corners again
  // on the full frame.
  const double scale = std::min(1.0, kWatchSide / std::max(frame.cols, frame.rows));
  cv::Mat small = frame;
  if (scale < 1.0) cv::resize(frame, small, cv::Size(), scale, scale, cv::INTER_AREA);
  const auto seen = find_page(small, profile_.camera.presence_threshold);
  // Hands settle and autofocus hunts: a page counts as still while its corners move less than
  // 1% of the frame's diagonal from one frame to the next.
  const double tolerance = std::max(2.0, 0.01 * std::hypot(small.cols, small.rows));
  if (desk_ == Desk::Empty) {
    still_ = seen && last_seen_ && same_place(*seen, *last_seen_, tolerance) ? still_ + 1 : (seen ? 1 : 0);
    last_seen_ = seen;
    if (still_ < profile_.camera.still_frames) return true;
    desk_ = Desk::Present;
    absent_ = 0;
    emit(DeviceEvent::Kind::DocumentPlaced);
    auto quad = scale < 1.0 ? find_page(frame, profile_.camera.presence_threshold) : seen;
    if (!quad) {  // not found again at full size (it should be): the watching copy's corners, scaled up
      quad = seen;
      for (auto& corner : quad->corners) corner *= static_cast<float>(1.0 / scale);
    }
    return capture(camera, *quad);
  }
  // Present: the page has gone once it has been out of sight as long as it took to settle.
  absent_ = seen ? 0 : absent_ + 1;
  if (absent_ >= profile_.camera.still_frames) {
    desk_ = Desk::Empty;
    last_seen_.reset();
    still_ = 0;
    emit(DeviceEvent::Kind::DocumentRemoved);
  }
  return true;
}

bool CameraPageReader::capture(Camera& camera, const PageQuad& quad) {
  Capture result;
  result.device = profile_.id;
  result.placed_at = std::chrono::system_clock::now();
  const auto size = page_size_px(profile_.camera.page_width_mm, profile_.camera.page_height_mm, profile_.dpi);
  const bool png = profile_.camera.encoding == "png";
  const auto taken = lights();
  capturing_ = true;
  for (Light light : taken) {
    // A lamp that cannot be switched (its controller unplugged, a lamp failed) costs that light's
    // image, not the document: the white page is taken in the light the desk has, an infrared or
    // ultraviolet one is left out and the capture says why (the station's checks then say so too).
    try {
      if (lamps_) lamps_->select(light);
    } catch (const DeviceError& e) {
      result.problems.push_back("the " + std::string(to_string(light)) + " lamp could not be switched on: " + e.what());
      result.lamps_failed.push_back(light);
      if (light != Light::White) continue;
    }
    // The frames taken while the lamp warms up and the exposure adapts are not the page's.
    std::optional<cv::Mat> frame;
    for (int i = 0; i <= profile_.camera.settle_frames; ++i)
      if (!(frame = camera.next())) return false;  // the caller reports the camera gone, the capture abandoned
    // The page has not moved since it was found still (the white frames showed it best): the
    // infrared and ultraviolet frames are cut along the same outline.
    PageImage image{light, {}};
    try {
      const cv::Mat page = straighten_page(*frame, quad, size);
      const std::vector<int> params = png ? std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, 3} : std::vector<int>{cv::IMWRITE_JPEG_QUALITY, 95};
      cv::imencode(png ? ".png" : ".jpg", page, image.encoded, params);
    } catch (const cv::Exception& e) {
      emit(DeviceEvent::Kind::Failed, "the " + std::string(to_string(light)) + " page could not be straightened: " + e.what());
      switch_to(Light::White);
      capturing_ = false;
      return true;
    }
    result.images.push_back(std::move(image));
  }
  if (taken.size() > 1 || taken.front() != Light::White) switch_to(Light::White);
  if (result.images.empty()) {  // only if the profile lists no white light and every lamp failed
    capturing_ = false;
    emit(DeviceEvent::Kind::Failed, result.problems.empty() ? "no light could be captured" : result.problems.front());
    return true;
  }
  result.captured_at = std::chrono::system_clock::now();
  capturing_ = false;
  emit(DeviceEvent::Kind::Captured, {}, std::move(result));
  return true;
}

// Back to white for watching the desk; a lamp that refuses now is reported by the next capture.
void CameraPageReader::switch_to(Light light) {
  if (!lamps_) return;
  try {
    lamps_->select(light);
  } catch (const DeviceError&) {
  }
}

}  // namespace borderpost::bridge
