// A device profile (hw-profiles/*.toml): what a device model is and which driver speaks to it.
// Data only: a new model of a supported class is a new file, not new code.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_bridge/page_reader.hpp"

namespace borderpost::bridge {

struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where a USB device model is found and how it is spoken to ([usb] in the profile).
struct UsbProfile {
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  std::optional<std::uint8_t> interface_class;  // the interface to use has this class (0x0a CDC data, 0xff vendor, 0x03 HID)
  std::optional<std::uint8_t> interface;        // the interface number to claim (default: the first of that class, else 0)
  std::optional<std::uint8_t> endpoint_in;      // default: the interface's first bulk IN endpoint
  std::optional<std::uint8_t> endpoint_out;     // default: the interface's first bulk OUT endpoint
  int read_size = 64;                           // bytes asked for in one bulk read
  int timeout_ms = 250;                         // one transfer; also how quickly stop() is noticed
};

// How a text reader wraps what it sends ([framing]): the bytes around a frame, between its lines,
// and an optional check byte. Data, so a new reader with other bytes is a new profile.
struct Framing {
  enum class Checksum { None, Xor };  // Xor: one byte after `end`, the XOR of every byte after `start` up to and including `end`
  std::vector<std::uint8_t> start;           // empty: a frame starts right after the previous one ended
  std::vector<std::uint8_t> end{0x0d, 0x0a};  // never empty
  std::vector<std::uint8_t> line_separator{0x0d};
  Checksum checksum = Checksum::None;
  int max_frame = 512;                       // payload bytes; a longer frame is refused
  std::vector<std::uint8_t> arm_command;     // written to the OUT endpoint once the reader is opened
};

// How a document camera switches its lights ([lamps]).
struct LampControl {
  enum class Method { HidOutputReport, VendorControl };
  struct Command {
    std::uint16_t value = 0;              // vendor-control: wValue
    std::uint16_t index = 0;              // vendor-control: wIndex
    std::vector<std::uint8_t> data;       // vendor-control: data stage; hid-output-report: the report (without its id)
  };
  Method method = Method::HidOutputReport;
  std::uint8_t interface = 0;             // hid-output-report: the HID interface
  std::uint8_t report_id = 0;             // hid-output-report: 0 when the device uses no report ids
  std::uint8_t request_type = 0x40;       // vendor-control: bmRequestType (vendor, host to device, to the device)
  std::uint8_t request = 0;               // vendor-control: bRequest
  std::map<Light, Command> lights;        // one command per light the camera has
};

struct DeviceProfile {
  std::string file;
  std::string id;      // "simulated-page-reader"
  std::string model;   // what a person reads
  std::string device_class;  // "page-reader" | "mrz-reader" | "document-camera"
  std::string driver;  // "simulated" | "usb-mrz-reader" | ...
  std::vector<Light> lights;
  int dpi = 300;
  int capture_delay_ms = 350;  // from placement to the images
  std::optional<UsbProfile> usb;
  std::optional<Framing> framing;   // mrz-reader
  std::optional<LampControl> lamps;  // document-camera
};

// Throws ProfileError("FILE:LINE: reason").
DeviceProfile load_profile(const std::string& path);
// Every *.toml in a folder, sorted by file name (the order in which they are matched to devices).
std::vector<DeviceProfile> load_profiles(const std::string& folder);

// Options a driver may need beyond its profile.
struct ReaderOptions {
  std::string samples_dir;  // simulated driver: sample documents, one folder each
};

// The page reader the profile's driver provides. Throws ProfileError for an unknown driver.
std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options);

}  // namespace borderpost::bridge
