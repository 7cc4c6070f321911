// The MRZ reader the station holds: follows one profile's device across unplugs and re-plugs. A
// UsbMonitor reports the device; each time it arrives a UsbMrzReader is opened on it, and its
// events are passed on, so the station sees one reader that is connected or not.
#pragma once

#include <memory>
#include <mutex>

#include "firmware_bridge/usb_monitor.hpp"
#include "firmware_bridge/usb_mrz_reader.hpp"

namespace borderpost::bridge {

class HotplugMrzReader : public PageReader {
 public:
  explicit HotplugMrzReader(DeviceProfile profile, UsbMonitor::Options options = {});
  ~HotplugMrzReader() override;

  void start(Listener listener) override;  // Connected comes when the device is there and opened
  void stop() override;
  std::string id() const override { return profile_.id; }
  std::string model() const override { return profile_.model; }
  bool connected() const override;
  std::vector<Light> lights() const override { return {}; }

 private:
  void on_change(const UsbDeviceChange& change);

  DeviceProfile profile_;
  UsbMonitor monitor_;
  mutable std::mutex mutex_;
  Listener listener_;
  std::unique_ptr<UsbMrzReader> reader_;
  UsbLocation at_;
};

}  // namespace borderpost::bridge
