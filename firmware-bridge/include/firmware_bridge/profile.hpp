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

struct DeviceProfile {
  std::string file;
  std::string id;      // "simulated-page-reader"
  std::string model;   // what a person reads
  std::string device_class;  // "page-reader" | "traveller-camera"
  std::string driver;  // "simulated" | "simulated-process" | "uvc-camera"
  std::vector<Light> lights;
  int dpi = 300;               // the delivered page images' resolution (a camera's corrected pages)
  int capture_delay_ms = 350;  // from placement to the images (simulated readers)
  int reconnect_ms = 1000;     // how often a lost device is looked for again
  std::string socket;          // simulated-process: the simulator's Unix socket
  CameraSettings camera;       // uvc-camera
  FaceSettings face;           // traveller-camera
};

// Throws ProfileError("FILE:LINE: reason").
DeviceProfile load_profile(const std::string& path);

// Options a driver may need beyond its profile.
struct ReaderOptions {
  std::string samples_dir;  // simulated driver: sample documents, one folder each
};

// The page reader the profile's driver provides. Throws ProfileError for an unknown driver or a
// profile of another class.
std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options);

}  // namespace borderpost::bridge
