// Device profiles: strict loading of hw-profiles/*.toml and the driver each one names.
#include "firmware_bridge/profile.hpp"

#include <algorithm>
#include <filesystem>

#include <toml++/toml.h>

#include "firmware_bridge/camera_page_reader.hpp"
#include "firmware_bridge/process_page_reader.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"

namespace borderpost::bridge {

std::string_view to_string(Light light) {
  switch (light) {
    case Light::White: return "white";
    case Light::Infrared: return "ir";
    case Light::Ultraviolet: return "uv";
  }
  return "white";
}

std::string_view to_string(DeviceEvent::Kind kind) {
  switch (kind) {
    case DeviceEvent::Kind::Connected: return "connected";
    case DeviceEvent::Kind::Disconnected: return "disconnected";
    case DeviceEvent::Kind::DocumentPlaced: return "document-placed";
    case DeviceEvent::Kind::Captured: return "captured";
    case DeviceEvent::Kind::DocumentRemoved: return "document-removed";
    case DeviceEvent::Kind::Failed: return "failed";
  }
  return "failed";
}

namespace {

// Strict reading of one TOML table: every error names the file and line; unknown keys are refused.
class Keys {
 public:
  Keys(const std::string& path, const toml::table& table, std::string prefix) : path_(path), t_(table), prefix_(std::move(prefix)) {}

  void only(const std::vector<std::string>& known) const {
    for (const auto& [key, node] : t_)
      if (std::find(known.begin(), known.end(), key.str()) == known.end())
        throw ProfileError(path_ + ":" + std::to_string(node.source().begin.line) + ": " + prefix_ + std::string(key.str()) +
                           " is not a profile key (see hw-profiles/README.md)");
  }
  std::string where(const char* key) const {
    const auto* node = t_.get(key);
    return path_ + ":" + std::to_string(node ? node->source().begin.line : 1) + ": " + prefix_ + key;
  }
  bool has(const char* key) const { return t_.contains(key); }
  std::string text(const char* key, bool required) const {
    const auto* node = t_.get(key);
    if (!node) {
      if (required) throw ProfileError(path_ + ": " + prefix_ + key + " is required");
      return {};
    }
    auto v = node->value_exact<std::string>();
    if (!v || v->empty()) throw ProfileError(where(key) + " must be a non-empty string");
    return *v;
  }
  void integer(const char* key, int& out, std::int64_t low, std::int64_t high) const {
    const auto* node = t_.get(key);
    if (!node) return;
    const auto v = node->value_exact<std::int64_t>();
    if (!v || *v < low || *v > high)
      throw ProfileError(where(key) + " must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
    out = static_cast<int>(*v);
  }
  void number(const char* key, double& out, double low, double high) const {
    const auto* node = t_.get(key);
    if (!node) return;
    const auto v = node->value<double>();  // 125 and 125.0 alike
    if (!v || *v < low || *v > high)
      throw ProfileError(where(key) + " must be a number from " + trimmed(low) + " to " + trimmed(high));
    out = *v;
  }

 private:
  static std::string trimmed(double v) {
    auto s = std::to_string(v);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  const std::string& path_;
  const toml::table& t_;
  std::string prefix_;
};

// A file named in a profile: relative to the profile's folder, so a profile and its data travel together.
std::string beside(const std::string& profile, const std::string& file) {
  const std::filesystem::path p(file);
  if (p.is_absolute()) return file;
  return (std::filesystem::path(profile).parent_path() / p).lexically_normal().string();
}

const toml::table* table_of(const std::string& path, const toml::table& t, const char* key) {
  const auto* node = t.get(key);
  if (!node) return nullptr;
  if (!node->is_table())
    throw ProfileError(path + ":" + std::to_string(node->source().begin.line) + ": " + key + " must be a table ([" + key + "])");
  return node->as_table();
}

void load_camera(const std::string& path, const toml::table& t, bool documents, CameraSettings& c) {
  const Keys k(path, t, "camera.");
  std::vector<std::string> known{"source", "width", "height", "settle_frames"};
  if (documents) known.insert(known.end(), {"still_frames", "page_width_mm", "page_height_mm", "presence_threshold", "encoding"});
  k.only(known);
  // A device index is an integer; anything else is a device node or a file VideoCapture plays.
  if (const auto* node = t.get("source"); node && node->is_integer()) {
    const auto index = *node->value<std::int64_t>();
    if (index < 0 || index > 63) throw ProfileError(k.where("source") + " must be a device index from 0 to 63, or a path");
    c.source = std::to_string(index);
  } else {
    c.source = k.text("source", true);
    if (c.source.find_first_not_of("0123456789") != std::string::npos && c.source.rfind("/dev/", 0) != 0) c.source = beside(path, c.source);
  }
  k.integer("width", c.width, 0, 8192);
  k.integer("height", c.height, 0, 8192);
  k.integer("settle_frames", c.settle_frames, 0, 60);
  k.integer("still_frames", c.still_frames, 1, 100);
  k.number("page_width_mm", c.page_width_mm, 20, 500);
  k.number("page_height_mm", c.page_height_mm, 20, 500);
  k.number("presence_threshold", c.presence_threshold, 0.01, 0.95);
  if (k.has("encoding")) {
    c.encoding = k.text("encoding", false);
    if (c.encoding != "png" && c.encoding != "jpeg") throw ProfileError(k.where("encoding") + " must be \"png\" or \"jpeg\"");
  }
}

void load_face(const std::string& path, const toml::table& t, FaceSettings& f) {
  const Keys k(path, t, "face.");
  k.only({"cascade", "margin", "width", "min_face"});
  if (k.has("cascade")) f.cascade = beside(path, k.text("cascade", false));
  k.number("margin", f.margin, 0, 3);
  k.integer("width", f.width, 70, 2000);
  k.number("min_face", f.min_face, 0.01, 0.9);
}

}  // namespace

DeviceProfile load_profile(const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ProfileError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    throw ProfileError(path + ": " + e.what());
  }
  const Keys k(path, t, "");
  k.only({"id", "model", "class", "driver", "lights", "dpi", "capture_delay_ms", "reconnect_ms", "socket", "camera", "face"});
  DeviceProfile p;
  p.file = path;
  p.id = k.text("id", true);
  p.model = k.text("model", true);
  p.device_class = k.text("class", true);
  if (p.device_class != "page-reader" && p.device_class != "traveller-camera")
    throw ProfileError(k.where("class") + " must be \"page-reader\" or \"traveller-camera\"");
  p.driver = k.text("driver", true);
  if (const auto* lights = t.get_as<toml::array>("lights")) {
    for (const auto& node : *lights) {
      const auto name = node.value_exact<std::string>().value_or("");
      if (name == "white") p.lights.push_back(Light::White);
      else if (name == "ir") p.lights.push_back(Light::Infrared);
      else if (name == "uv") p.lights.push_back(Light::Ultraviolet);
      else throw ProfileError(k.where("lights") + " holds \"white\", \"ir\" and \"uv\" only");
    }
  }
  if (p.lights.empty()) p.lights = {Light::White};
  k.integer("dpi", p.dpi, 100, 1200);
  k.integer("capture_delay_ms", p.capture_delay_ms, 0, 60'000);
  k.integer("reconnect_ms", p.reconnect_ms, 50, 60'000);
  if (k.has("socket")) p.socket = beside(path, k.text("socket", false));
  if (p.driver == "simulated-process" && p.socket.empty()) throw ProfileError(path + ": socket is required by the simulated-process driver");

  const bool camera_driver = p.driver == "uvc-camera";
  const auto* camera = table_of(path, t, "camera");
  if (camera_driver && !camera) throw ProfileError(path + ": the uvc-camera driver needs a [camera] table (source, ...)");
  if (camera && !camera_driver) throw ProfileError(k.where("camera") + " belongs to the uvc-camera driver only");
  if (camera) load_camera(path, *camera, p.device_class == "page-reader", p.camera);
  const auto* face = table_of(path, t, "face");
  if (face && p.device_class != "traveller-camera") throw ProfileError(k.where("face") + " belongs to traveller cameras only");
  if (face) load_face(path, *face, p.face);
  if (p.device_class == "traveller-camera" && p.driver != "uvc-camera")
    throw ProfileError(k.where("driver") + ": a traveller camera is driven by \"uvc-camera\"");
  return p;
}

std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options) {
  if (profile.device_class != "page-reader")
    throw ProfileError(profile.file + ": a " + profile.device_class + " profile does not describe a page reader");
  if (profile.driver == "uvc-camera") return std::make_unique<CameraPageReader>(profile, nullptr);
  if (profile.driver == "simulated-process") return std::make_unique<ProcessPageReader>(profile);
  if (profile.driver == "simulated") {
    if (options.samples_dir.empty()) throw ProfileError(profile.file + ": the simulated reader needs a samples folder (devices.samples)");
    return std::make_unique<SimulatedPageReader>(profile, options.samples_dir);
  }
  throw ProfileError(profile.file + ": driver \"" + profile.driver + "\" is not supported by this build");
}

}  // namespace borderpost::bridge
