// The libusb side shared by the USB drivers (internal): a context, a device opened by profile and
// location, interfaces claimed away from kernel drivers, and libusb's errors turned into ours.
#pragma once

#include <libusb.h>

#include <optional>
#include <string>
#include <vector>

#include "firmware_bridge/lamp_switch.hpp"
#include "firmware_bridge/usb_devices.hpp"

namespace borderpost::bridge::usb {

// One libusb context. Each driver has its own, so a driver's blocking transfers never wait on
// another's events.
class Context {
 public:
  Context();  // throws DeviceError
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  libusb_context* get() const { return context_; }

 private:
  libusb_context* context_ = nullptr;
};

UsbDescription describe(libusb_device* device);
std::vector<UsbDescription> list_devices(libusb_context* context);
std::string error_text(int libusb_error);  // "no device (it was unplugged)", ...

// The endpoints a driver uses on one interface.
struct Endpoints {
  std::uint8_t interface = 0;
  std::optional<std::uint8_t> in, out;
  bool in_is_interrupt = false;
};

// An opened device: closed, with its claimed interfaces released (and kernel drivers given their
// interface back), on destruction.
class Handle {
 public:
  // The device at `location`, or the first one the profile matches when no location is given.
  // Throws DeviceError when there is none or it cannot be opened.
  Handle(libusb_context* context, const UsbProfile& profile, const std::optional<UsbLocation>& location);
  ~Handle();
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  libusb_device_handle* get() const { return handle_; }
  const UsbLocation& location() const { return location_; }
  // The interface the profile names (by number, else by class, else the first with a bulk IN
  // endpoint) and its endpoints, from the active configuration.
  Endpoints endpoints(const UsbProfile& profile) const;
  void claim(std::uint8_t interface);  // detaches a kernel driver first; throws DeviceError

 private:
  libusb_device_handle* handle_ = nullptr;
  UsbLocation location_;
  std::vector<std::uint8_t> claimed_;
  std::vector<std::uint8_t> detached_;
};

}  // namespace borderpost::bridge::usb
