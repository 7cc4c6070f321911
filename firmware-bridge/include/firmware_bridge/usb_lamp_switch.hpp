// Lamp switching for document cameras whose lights are driven over USB, as the profile's [lamps]
// says: a HID output report (SET_REPORT on the control endpoint) or a vendor control request.
#pragma once

#include <memory>
#include <optional>

#include "firmware_bridge/lamp_switch.hpp"
#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/usb_devices.hpp"

namespace borderpost::bridge {

// Opens the camera (the device at `location`, or the first one the profile's [usb] matches) for
// lamp switching. Throws ProfileError when the profile has no [lamps] or [usb], DeviceError when
// the camera is not there or cannot be opened.
std::unique_ptr<LampSwitch> open_usb_lamp_switch(const DeviceProfile& profile, std::optional<UsbLocation> location = {});

}  // namespace borderpost::bridge
