// A device profile (hw-profiles/*.toml): what a device model is and which driver speaks to it.
// Data only: a new model of a supported class is a new file, not new code.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_bridge/page_reader.hpp"

namespace borderpost::bridge {

struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DeviceProfile {
  std::string file;
  std::string id;      // "simulated-page-reader"
  std::string model;   // what a person reads
  std::string device_class;  // "page-reader"
  std::string driver;  // "simulated"
  std::vector<Light> lights;
  int dpi = 300;
  int capture_delay_ms = 350;  // from placement to the images
};

// Throws ProfileError("FILE:LINE: reason").
DeviceProfile load_profile(const std::string& path);

// Options a driver may need beyond its profile.
struct ReaderOptions {
  std::string samples_dir;  // simulated driver: sample documents, one folder each
};

// The page reader the profile's driver provides. Throws ProfileError for an unknown driver.
std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options);

}  // namespace borderpost::bridge
