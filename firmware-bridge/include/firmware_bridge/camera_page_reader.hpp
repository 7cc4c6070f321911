// A document camera (UVC, through OpenCV's VideoCapture) as a page reader: it watches the desk,
// reports a page placed once it lies still, takes one frame per light (switching the lamps before
// each), straightens the page to the profile's page size and dpi, and reports it removed when it
// leaves. A camera that stops delivering frames is reported disconnected and looked for again.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "firmware_bridge/lamp_switch.hpp"
#include "firmware_bridge/page_finder.hpp"
#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

class CameraPageReader : public PageReader {
 public:
  // `lamps` null: the lights cannot be switched, so only white images are delivered whatever the
  // profile lists. Throws ProfileError for a profile that is not a uvc-camera page reader.
  CameraPageReader(DeviceProfile profile, std::unique_ptr<LampSwitch> lamps);
  ~CameraPageReader() override;

  void start(Listener listener) override;
  void stop() override;
  std::string id() const override { return profile_.id; }
  std::string model() const override { return profile_.model; }
  bool connected() const override { return connected_; }
  std::vector<Light> lights() const override;

 private:
  enum class Desk { Empty, Present };
  class Camera;
  void run(std::stop_token stop);
  bool watch(Camera& camera, const cv::Mat& frame);
  bool capture(Camera& camera, const PageQuad& quad);
  void switch_to(Light light);
  void emit(DeviceEvent::Kind kind, std::string message = {}, Capture capture = {});

  DeviceProfile profile_;
  std::unique_ptr<LampSwitch> lamps_;
  Listener listener_;
  std::atomic<bool> connected_{false};
  std::mutex wait_mutex_;
  std::condition_variable_any wait_;
  std::jthread thread_;
  // the driver thread's own state
  Desk desk_ = Desk::Empty;
  std::optional<PageQuad> last_seen_;
  int still_ = 0, absent_ = 0;
  bool capturing_ = false;
};

}  // namespace borderpost::bridge
