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

// The station's lamp switch: never fails to be made (throws ProfileError only for a profile without
// [lamps] or [usb]); opens the camera when a lamp is asked for, and again after it was unplugged
// and plugged back. select() throws DeviceError while no matching device is plugged in.
std::unique_ptr<LampSwitch> follow_usb_lamp_switch(const DeviceProfile& profile);

}  // namespace borderpost::bridge
