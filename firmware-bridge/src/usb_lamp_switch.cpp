// UsbLampSwitch: one control transfer per light change, the bytes taken from the profile.
#include "firmware_bridge/usb_lamp_switch.hpp"

#include <mutex>

#include "usb_handle.hpp"

namespace borderpost::bridge {
namespace {

// HID class request SET_REPORT (HID 1.11, 7.2.2), report type Output.
constexpr std::uint8_t kHidSetReportType = 0x21;  // host to device, class request, to an interface
constexpr std::uint8_t kHidSetReport = 0x09;
constexpr std::uint16_t kHidOutputReport = 0x02;

// The device went away under an open handle: a new handle may find it plugged in again.
struct DeviceGone : DeviceError {
  using DeviceError::DeviceError;
};

class UsbLampSwitch : public LampSwitch {
 public:
  UsbLampSwitch(const DeviceProfile& profile, const std::optional<UsbLocation>& location)
      : id_(profile.id), lamps_(*profile.lamps), timeout_ms_(profile.usb->timeout_ms), device_(context_.get(), *profile.usb, location) {
    // usbhid holds a HID interface; a class request to an interface needs it claimed.
    if (lamps_.method == LampControl::Method::HidOutputReport) device_.claim(lamps_.interface);
  }

  void select(Light light) override {
    const auto it = lamps_.lights.find(light);
    if (it == lamps_.lights.end())
      throw DeviceError("the camera " + id_ + " has no " + std::string(to_string(light)) + " lamp in its profile");
    const auto& command = it->second;
    std::vector<std::uint8_t> data;
    std::uint8_t type = lamps_.request_type, request = lamps_.request;
    std::uint16_t value = command.value, index = command.index;
    if (lamps_.method == LampControl::Method::HidOutputReport) {
      // With report ids, the id is both in wValue and the report's first byte (HID 1.11, 5.6).
      if (lamps_.report_id != 0) data.push_back(lamps_.report_id);
      type = kHidSetReportType;
      request = kHidSetReport;
      value = static_cast<std::uint16_t>(kHidOutputReport << 8 | lamps_.report_id);
      index = lamps_.interface;
    }
    data.insert(data.end(), command.data.begin(), command.data.end());
    std::lock_guard lock(mutex_);
    const int r = libusb_control_transfer(device_.get(), type, request, value, index, data.empty() ? nullptr : data.data(),
                                          static_cast<std::uint16_t>(data.size()), static_cast<unsigned>(timeout_ms_));
    if (r == LIBUSB_ERROR_NO_DEVICE) throw DeviceGone("the camera " + id_ + " is gone (unplugged)");
    if (r < 0)
      throw DeviceError("the camera " + id_ + " did not switch to the " + std::string(to_string(light)) + " lamp: " + usb::error_text(r));
    if (r != static_cast<int>(data.size()))
      throw DeviceError("the camera " + id_ + " took " + std::to_string(r) + " of " + std::to_string(data.size()) + " bytes of the lamp command");
  }

 private:
  std::string id_;
  LampControl lamps_;
  int timeout_ms_;
  usb::Context context_;
  usb::Handle device_;
  std::mutex mutex_;
};

// Follows the lamp controller across unplugs: opened when a lamp is first asked for, opened
// again when the handle finds the device gone (at once) or failed otherwise (at the next lamp). A controller plugged in after the station started,
// or unplugged and plugged back between two documents, switches the lamps from the next capture.
class FollowingLampSwitch : public LampSwitch {
 public:
  explicit FollowingLampSwitch(DeviceProfile profile) : profile_(std::move(profile)) {}

  void select(Light light) override {
    std::lock_guard lock(mutex_);
    for (int attempt = 0;; ++attempt) {
      if (!open_) open_ = std::make_unique<UsbLampSwitch>(profile_, std::nullopt);  // throws when not plugged in
      try {
        open_->select(light);
        return;
      } catch (const DeviceGone&) {
        open_.reset();
        if (attempt > 0) throw;  // gone again through a fresh handle: really unplugged
      } catch (const DeviceError&) {
        open_.reset();  // a handle that failed once (a reset, a stall) is not trusted with the next capture
        throw;
      }
    }
  }

 private:
  DeviceProfile profile_;
  std::mutex mutex_;
  std::unique_ptr<UsbLampSwitch> open_;
};

}  // namespace

std::unique_ptr<LampSwitch> follow_usb_lamp_switch(const DeviceProfile& profile) {
  if (!profile.lamps || !profile.usb) throw ProfileError(profile.file + ": lamp switching needs [usb] and [lamps]");
  return std::make_unique<FollowingLampSwitch>(profile);
}

std::unique_ptr<LampSwitch> open_usb_lamp_switch(const DeviceProfile& profile, std::optional<UsbLocation> location) {
  if (!profile.lamps || !profile.usb) throw ProfileError(profile.file + ": lamp switching needs [usb] and [lamps]");
  return std::make_unique<UsbLampSwitch>(profile, location);
}

}  // namespace borderpost::bridge
