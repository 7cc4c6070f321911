// What the bridge knows of a USB device before opening it (where it is, its ids, its interfaces)
// and which profile describes it. Pure: matching is tested without any device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

// Where a device is plugged in now. The address changes at every re-plug; the port does not.
struct UsbLocation {
  std::uint8_t bus = 0;
  std::uint8_t address = 0;
  std::string port;  // "1-2.4": bus, then the hub ports, for people and logs
  bool operator==(const UsbLocation& other) const { return bus == other.bus && address == other.address; }
};

struct UsbInterfaceInfo {
  std::uint8_t number = 0;
  std::uint8_t interface_class = 0;
};

struct UsbDescription {
  UsbLocation location;
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  std::vector<UsbInterfaceInfo> interfaces;  // of the active configuration, first alternate setting
  // False while the active configuration cannot be read: for a moment after a plug-in, before the
  // kernel has configured the device, it has no interfaces yet.
  bool interfaces_known = true;
};

// True when the description has the profile's ids and, when the profile names one, an interface of
// its class (the named interface number, when it names that too).
bool matches(const UsbProfile& profile, const UsbDescription& device);

// The first profile (in the given order) with a [usb] table that matches; nullptr for none.
const DeviceProfile* match_profile(const std::vector<DeviceProfile>& profiles, const UsbDescription& device);

// True when the device has the ids of a profile that names an interface class but its interfaces
// are not known yet, so whether it matches can only be told by looking again.
bool awaits_configuration(const std::vector<DeviceProfile>& profiles, const UsbDescription& device);

}  // namespace borderpost::bridge
