// The document reader as the station sees it: a device that reports a document placed, delivers
// one page image per light (white, infrared, ultraviolet), then reports it removed; or a text MRZ
// reader (swipe, OCR) that delivers the MRZ's lines as one Captured event with no images.
// Drivers (simulated, USB MRZ reader, cameras) implement PageReader; the station listens.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace borderpost::bridge {

enum class Light { White, Infrared, Ultraviolet };
std::string_view to_string(Light light);  // "white" | "ir" | "uv"

// One page image as the device delivered it: encoded bytes (PNG, JPEG, ...); decoding and its
// failures belong to the reader of the image, so a corrupt transfer reaches it intact.
struct PageImage {
  Light light = Light::White;
  std::vector<unsigned char> encoded;
};

struct Capture {
  std::string device;  // the profile id of the device that captured it
  std::vector<PageImage> images;
  std::chrono::system_clock::time_point placed_at;
  std::chrono::system_clock::time_point captured_at;
  std::string sample;  // simulated devices: which sample document this was; "" for real ones
  std::vector<std::string> mrz_lines;  // text MRZ readers: the lines as the reader sent them (not yet parsed)
  std::vector<std::string> problems;   // what went wrong without stopping the capture ("the ir lamp
                                       // could not be switched on: ..."): its light is missing
  std::vector<Light> lamps_failed;     // the lights whose lamp could not be switched on
};

struct DeviceEvent {
  enum class Kind {
    Connected,       // the device is ready
    Disconnected,    // unplugged or lost; a capture in progress is abandoned
    DocumentPlaced,  // capture starts
    Captured,        // `capture` holds the images
    DocumentRemoved,
    Failed,          // a capture could not complete; `message` says why
  };
  Kind kind = Kind::Connected;
  std::string device;
  std::string message;
  Capture capture;
};
std::string_view to_string(DeviceEvent::Kind kind);

class PageReader {
 public:
  using Listener = std::function<void(const DeviceEvent&)>;
  virtual ~PageReader() = default;
  // Starts reporting events. The listener is called from the driver's own thread and must not
  // block (post the event to your loop).
  virtual void start(Listener listener) = 0;
  virtual void stop() = 0;  // no events after it returns
  virtual std::string id() const = 0;     // profile id
  virtual std::string model() const = 0;  // human-readable model name
  virtual bool connected() const = 0;
  virtual std::vector<Light> lights() const = 0;
};

}  // namespace borderpost::bridge
