// The driver for MRZ readers that send the MRZ as text over a USB bulk (or CDC-ACM data)
// interface, framed as their profile's [framing] says. One object is one plugged-in device: it
// ends with Disconnected when the device goes; HotplugMrzReader opens a new one when it returns.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/usb_devices.hpp"

namespace borderpost::bridge {

class UsbMrzReader : public PageReader {
 public:
  // `location`: the device to use; none: the first device the profile matches.
  UsbMrzReader(DeviceProfile profile, std::optional<UsbLocation> location);
  ~UsbMrzReader() override;

  // Opens the device on the driver's thread: Connected once it is claimed (and armed), then one
  // Captured per MRZ (capture.mrz_lines, no images), Failed for a frame or transfer that went
  // wrong (reading goes on), Disconnected when the device is gone (the thread ends). A device that
  // cannot be opened gives Failed then Disconnected.
  void start(Listener listener) override;
  void stop() override;
  std::string id() const override { return profile_.id; }
  std::string model() const override { return profile_.model; }
  bool connected() const override { return connected_; }
  std::vector<Light> lights() const override { return {}; }
  bool running() const { return running_; }  // false once the thread has ended (device gone)

 private:
  void run(std::stop_token stop);
  void emit(DeviceEvent::Kind kind, std::string message = {}, Capture capture = {});

  DeviceProfile profile_;
  std::optional<UsbLocation> location_;
  std::mutex listener_mutex_;
  Listener listener_;
  std::atomic<bool> connected_ = false;
  std::atomic<bool> running_ = false;
  std::jthread thread_;
};

}  // namespace borderpost::bridge
