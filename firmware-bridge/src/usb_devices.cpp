// Matching USB devices to profiles: ids first, then the interface class the profile asks for.
#include "firmware_bridge/usb_devices.hpp"

#include <algorithm>

namespace borderpost::bridge {

namespace {
bool same_ids(const UsbProfile& profile, const UsbDescription& device) {
  return device.vendor_id == profile.vendor_id && device.product_id == profile.product_id;
}
}  // namespace

bool matches(const UsbProfile& profile, const UsbDescription& device) {
  if (!same_ids(profile, device)) return false;
  if (!profile.interface_class) return true;
  // The same ids can cover variants that expose a different interface set (a reader with and
  // without its CDC function); the class tells them apart.
  return std::any_of(device.interfaces.begin(), device.interfaces.end(), [&](const UsbInterfaceInfo& i) {
    return i.interface_class == *profile.interface_class && (!profile.interface || i.number == *profile.interface);
  });
}

const DeviceProfile* match_profile(const std::vector<DeviceProfile>& profiles, const UsbDescription& device) {
  for (const auto& p : profiles)
    if (p.usb && matches(*p.usb, device)) return &p;
  return nullptr;
}

bool awaits_configuration(const std::vector<DeviceProfile>& profiles, const UsbDescription& device) {
  if (device.interfaces_known) return false;
  return std::any_of(profiles.begin(), profiles.end(),
                     [&](const DeviceProfile& p) { return p.usb && p.usb->interface_class && same_ids(*p.usb, device); });
}

}  // namespace borderpost::bridge
