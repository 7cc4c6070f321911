// Watches the USB bus for devices a profile describes: reports those present at start, then each
// arrival and departure, from its own thread. libusb hot-plug when the platform has it, otherwise
// a periodic re-enumeration; devices no profile matches are ignored.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "firmware_bridge/usb_devices.hpp"

namespace borderpost::bridge {

struct UsbDeviceChange {
  enum class Kind { Arrived, Left };
  Kind kind = Kind::Arrived;
  UsbDescription device;
  DeviceProfile profile;  // the profile that matched it
};

class UsbMonitor {
 public:
  using Listener = std::function<void(const UsbDeviceChange&)>;
  struct Options {
    std::chrono::milliseconds rescan_every{1000};  // without hot-plug: how often the bus is listed again
    bool without_hotplug = false;                  // re-enumerate even when hot-plug is available
  };

  UsbMonitor(std::vector<DeviceProfile> profiles, Options options);  // throws DeviceError without USB
  ~UsbMonitor();
  UsbMonitor(const UsbMonitor&) = delete;
  UsbMonitor& operator=(const UsbMonitor&) = delete;

  // The listener is called on the monitor's thread and must not block.
  void start(Listener listener);
  void stop();  // no calls to the listener after it returns
  bool uses_hotplug() const { return hotplug_; }
  std::vector<UsbDeviceChange> present() const;  // the matched devices plugged in now (kind Arrived)

 private:
  struct Libusb;
  void run(std::stop_token stop);
  bool rescan();  // true when a device may match once the kernel has configured it

  std::vector<DeviceProfile> profiles_;
  Options options_;
  std::unique_ptr<Libusb> usb_;
  bool hotplug_ = false;
  mutable std::mutex mutex_;
  Listener listener_;
  std::vector<UsbDeviceChange> present_;
  std::jthread thread_;
};

}  // namespace borderpost::bridge
