// A device profile made by a test rather than read from hw-profiles/: what every profile file
// says first (which device, which driver), the driver's own settings left to the test.
#pragma once

#include <string>
#include <utility>

#include "firmware_bridge/profile.hpp"

namespace borderpost::test {

// `file`: where the profile would have come from, as its errors name it.
inline bridge::DeviceProfile test_profile(std::string id, std::string model, bridge::DeviceClass device_class,
                                          bridge::Driver driver, std::string file = {}) {
  bridge::DeviceProfile p;
  p.file = std::move(file);
  p.id = std::move(id);
  p.model = std::move(model);
  p.device_class = device_class;
  p.driver = driver;
  return p;
}

}  // namespace borderpost::test
