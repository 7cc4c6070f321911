// A device profile (hw-profiles/*.toml): what a device model is and which driver speaks to it.
// Data only: a new model of a supported class is a new file, not new code.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

// A camera seen through OpenCV's VideoCapture (UVC devices through V4L2, or recorded frames).
struct CameraSettings {
  std::string source;         // "/dev/video0", a device index ("0"), or a file / numbered-frame pattern
  int width = 0, height = 0;  // frame size asked of the device; 0 = its default
  int settle_frames = 3;      // frames dropped after a lamp switch or on waking, while exposure settles
  int still_frames = 5;       // document camera: frames a page must stay still before it is captured
  double page_width_mm = 125.0, page_height_mm = 88.0;  // document camera: the page, for the aspect ratio
  double presence_threshold = 0.10;  // document camera: least share of the frame a page covers
  std::string encoding = "png";      // document camera: "png" | "jpeg", how pages are delivered
};

// How the traveller camera finds and frames the face.
struct FaceSettings {
  std::string cascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
  double margin = 0.6;    // added around the detected face box, as a share of its width
  int width = 420;        // portrait width in pixels; the height follows the 35:45 aspect
  double min_face = 0.08; // least face width, as a share of the frame width
};

// What a device is for ("class" in a profile) and the code that drives it ("driver"): words in the
// TOML only.
enum class DeviceClass { PageReader, MrzReader, DocumentCamera, TravellerCamera };
enum class Driver { Simulated, SimulatedProcess, UvcCamera, UsbMrzReader };
std::string_view to_string(DeviceClass device_class);  // "page-reader" | "mrz-reader" | "document-camera" | "traveller-camera"
std::string_view to_string(Driver driver);             // "simulated" | "simulated-process" | "uvc-camera" | "usb-mrz-reader"

struct DeviceProfile {
  std::string file;
  std::string id;      // "simulated-page-reader"
  std::string model;   // what a person reads
  DeviceClass device_class = DeviceClass::PageReader;
  Driver driver = Driver::Simulated;
  std::vector<Light> lights;
  int dpi = 300;               // the delivered page images' resolution (a camera's corrected pages)
  int capture_delay_ms = 350;  // from placement to the images (simulated readers)
  int reconnect_ms = 1000;     // how often a lost device is looked for again
  std::string socket;          // simulated-process: the simulator's Unix socket
  CameraSettings camera;       // uvc-camera
  FaceSettings face;           // traveller-camera
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

// The page reader the profile's driver provides. Throws ProfileError for a profile of another class.
std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options);

}  // namespace borderpost::bridge
