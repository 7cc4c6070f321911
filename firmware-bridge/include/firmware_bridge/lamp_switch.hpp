// firmware_bridge/lamp_switch.hpp
// Switches a document camera's lights (white, infrared, ultraviolet) before each frame.
#pragma once
#include <memory>
#include <stdexcept>
#include "firmware_bridge/page_reader.hpp"
namespace borderpost::bridge {
struct DeviceError : std::runtime_error { using std::runtime_error::runtime_error; };
class LampSwitch {
 public:
  virtual ~LampSwitch() = default;
  virtual void select(Light light) = 0;  // throws DeviceError when the device refuses or is gone
};
}  // namespace borderpost::bridge
