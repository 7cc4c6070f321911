// Device profiles: strict loading of hw-profiles/*.toml and the driver each one names.
#include "firmware_bridge/profile.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>

#include <toml++/toml.h>

#include "firmware_bridge/hotplug_mrz_reader.hpp"
#include "firmware_bridge/camera_page_reader.hpp"
#include "firmware_bridge/process_page_reader.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"
#include "firmware_bridge/usb_lamp_switch.hpp"

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

// The profile words of each class and driver, in one place for reading and for printing.
constexpr std::pair<DeviceClass, std::string_view> kDeviceClasses[] = {{DeviceClass::PageReader, "page-reader"},
                                                                       {DeviceClass::MrzReader, "mrz-reader"},
                                                                       {DeviceClass::DocumentCamera, "document-camera"},
                                                                       {DeviceClass::TravellerCamera, "traveller-camera"}};
constexpr std::pair<Driver, std::string_view> kDrivers[] = {{Driver::Simulated, "simulated"},
                                                            {Driver::SimulatedProcess, "simulated-process"},
                                                            {Driver::UvcCamera, "uvc-camera"},
                                                            {Driver::UsbMrzReader, "usb-mrz-reader"}};

template <typename Enum, std::size_t N>
std::optional<Enum> named(std::string_view word, const std::pair<Enum, std::string_view> (&words)[N]) {
  for (const auto& [value, name] : words)
    if (name == word) return value;
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view word_of(Enum value, const std::pair<Enum, std::string_view> (&words)[N]) {
  for (const auto& [v, name] : words)
    if (v == value) return name;
  return "";
}

// The words a profile may give, for its error messages: "\"a\", \"b\" or \"c\"".
template <typename Enum, std::size_t N>
std::string one_of(const std::pair<Enum, std::string_view> (&words)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? " or " : ", ";
    out.append("\"").append(words[i].second).append("\"");
  }
  return out;
}

}  // namespace

std::string_view to_string(DeviceClass device_class) { return word_of(device_class, kDeviceClasses); }
std::string_view to_string(Driver driver) { return word_of(driver, kDrivers); }

namespace {

// Strict reading of one profile file: every complaint names the file and the line (the file alone
// for what it lacks), and keys a table does not know are refused, so a typo is never ignored.
class ProfileReader {
 public:
  explicit ProfileReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& what) const {
    throw ProfileError(path_ + ":" + std::to_string(node ? node->source().begin.line : 1) + ": " + what);
  }
  [[noreturn]] void fail(const std::string& what) const { throw ProfileError(path_ + ": " + what); }

  void only_keys(const toml::table& table, const std::string& prefix, const std::vector<std::string_view>& known) const {
    for (const auto& [key, node] : table)
      if (std::find(known.begin(), known.end(), key.str()) == known.end())
        fail(&node, prefix + std::string(key.str()) + " is not a profile key (see hw-profiles/README.md)");
  }

  // `hint` ends the complaint: USB ids and byte values are written in hex.
  std::optional<std::int64_t> integer(const toml::table& table, const std::string& prefix, const char* key, std::int64_t min,
                                      std::int64_t max, std::string_view hint = {}) const {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    const auto v = node->value_exact<std::int64_t>();
    if (!v || *v < min || *v > max)
      fail(node, prefix + key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + std::string(hint));
    return *v;
  }
  // A setting that keeps its default when the key is absent.
  void integer(const toml::table& table, const std::string& prefix, const char* key, int& setting, std::int64_t min, std::int64_t max) const {
    if (const auto v = integer(table, prefix, key, min, max)) setting = static_cast<int>(*v);
  }
  void number(const toml::table& table, const std::string& prefix, const char* key, double& setting, double min, double max) const {
    const auto* node = table.get(key);
    if (!node) return;
    const auto v = node->value<double>();  // 125 and 125.0 alike
    if (!v || *v < min || *v > max) fail(node, prefix + key + " must be a number from " + trimmed(min) + " to " + trimmed(max));
    setting = *v;
  }

  std::optional<std::vector<std::uint8_t>> bytes(const toml::table& table, const std::string& prefix, const char* key) const {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    const auto* array = node->as_array();
    if (!array) fail(node, prefix + key + " must be an array of byte values, e.g. [0x02]");
    std::vector<std::uint8_t> out;
    for (const auto& item : *array) {
      const auto v = item.value_exact<std::int64_t>();
      if (!v || *v < 0 || *v > 255) fail(node, prefix + key + " must hold integers from 0 to 255");
      out.push_back(static_cast<std::uint8_t>(*v));
    }
    return out;
  }

  std::optional<std::string> text(const toml::table& table, const std::string& prefix, const char* key) const {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    auto v = node->value_exact<std::string>();
    if (!v || v->empty()) fail(node, prefix + key + " must be a non-empty string");
    return *v;
  }
  std::string required_text(const toml::table& table, const std::string& prefix, const char* key) const {
    auto v = text(table, prefix, key);
    if (!v) fail(prefix + key + " is required");
    return std::move(*v);
  }

  const toml::table* table(const toml::table& parent, const char* key) const {
    const auto* node = parent.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(node, std::string(key) + " must be a table ([" + key + "])");
    return node->as_table();
  }

  // A file named in a profile: relative to the profile's folder, so a profile and its data travel together.
  std::string beside(const std::string& file) const {
    const std::filesystem::path p(file);
    if (p.is_absolute()) return file;
    return (std::filesystem::path(path_).parent_path() / p).lexically_normal().string();
  }

  UsbProfile usb(const toml::table& t) const {
    only_keys(t, "usb.", {"vendor_id", "product_id", "interface_class", "interface", "endpoint_in", "endpoint_out", "read_size", "timeout_ms"});
    auto usb_integer = [&](const char* key, std::int64_t min, std::int64_t max) { return integer(t, "usb.", key, min, max, kWriteHex); };
    UsbProfile u;
    const auto vendor = usb_integer("vendor_id", 0, 0xffff);
    const auto product = usb_integer("product_id", 0, 0xffff);
    if (!vendor || !product) fail(&t, "[usb] needs vendor_id and product_id");
    u.vendor_id = static_cast<std::uint16_t>(*vendor);
    u.product_id = static_cast<std::uint16_t>(*product);
    if (const auto v = usb_integer("interface_class", 0, 255)) u.interface_class = static_cast<std::uint8_t>(*v);
    if (const auto v = usb_integer("interface", 0, 255)) u.interface = static_cast<std::uint8_t>(*v);
    if (const auto v = usb_integer("endpoint_in", 0x81, 0x8f)) u.endpoint_in = static_cast<std::uint8_t>(*v);
    if (const auto v = usb_integer("endpoint_out", 0x01, 0x0f)) u.endpoint_out = static_cast<std::uint8_t>(*v);
    if (const auto v = usb_integer("read_size", 8, 16384)) u.read_size = static_cast<int>(*v);
    if (const auto v = usb_integer("timeout_ms", 10, 10'000)) u.timeout_ms = static_cast<int>(*v);
    return u;
  }

  Framing framing(const toml::table& t) const {
    only_keys(t, "framing.", {"start", "end", "line_separator", "checksum", "max_frame", "arm_command"});
    Framing f;
    if (auto v = bytes(t, "framing.", "start")) f.start = std::move(*v);
    auto end = bytes(t, "framing.", "end");
    if (!end || end->empty()) fail(t.get("end") ? t.get("end") : &t, "framing.end is required: the bytes that close a frame, e.g. [0x03]");
    f.end = std::move(*end);
    if (auto v = bytes(t, "framing.", "line_separator")) f.line_separator = std::move(*v);
    if (f.line_separator.empty()) fail(t.get("line_separator"), "framing.line_separator must not be empty");
    if (const auto v = text(t, "framing.", "checksum")) {
      if (*v == "none") f.checksum = Framing::Checksum::None;
      else if (*v == "xor") f.checksum = Framing::Checksum::Xor;
      else fail(t.get("checksum"), "framing.checksum must be \"none\" or \"xor\"");
    }
    if (const auto v = integer(t, "framing.", "max_frame", 16, 4096, kWriteHex)) f.max_frame = static_cast<int>(*v);
    if (auto v = bytes(t, "framing.", "arm_command")) f.arm_command = std::move(*v);
    return f;
  }

  LampControl lamps(const toml::table& t, const std::vector<Light>& lights) const {
    only_keys(t, "lamps.", {"method", "interface", "report_id", "request_type", "request", "white", "ir", "uv"});
    LampControl l;
    const auto method = text(t, "lamps.", "method");
    if (method == "hid-output-report") l.method = LampControl::Method::HidOutputReport;
    else if (method == "vendor-control") l.method = LampControl::Method::VendorControl;
    else fail(t.get("method") ? t.get("method") : &t, "lamps.method must be \"hid-output-report\" or \"vendor-control\"");
    const bool hid = l.method == LampControl::Method::HidOutputReport;
    auto only_for = [&](const char* key, bool allowed, const char* method_name) {
      if (!allowed && t.get(key)) fail(t.get(key), std::string("lamps.") + key + " applies to method \"" + method_name + "\" only");
    };
    only_for("interface", hid, "hid-output-report");
    only_for("report_id", hid, "hid-output-report");
    only_for("request_type", !hid, "vendor-control");
    only_for("request", !hid, "vendor-control");
    auto byte = [&](const char* key) { return integer(t, "lamps.", key, 0, 255, kWriteHex); };
    if (const auto v = byte("interface")) l.interface = static_cast<std::uint8_t>(*v);
    if (const auto v = byte("report_id")) l.report_id = static_cast<std::uint8_t>(*v);
    if (const auto v = byte("request_type")) {
      // Only host-to-device requests: a lamp command sends, it never reads.
      if (*v & 0x80) fail(t.get("request_type"), "lamps.request_type must be a host-to-device request (bit 7 clear)");
      l.request_type = static_cast<std::uint8_t>(*v);
    }
    if (!hid) {
      const auto v = byte("request");
      if (!v) fail(&t, "lamps.request (bRequest) is required for vendor-control");
      l.request = static_cast<std::uint8_t>(*v);
    }
    for (const Light light : {Light::White, Light::Infrared, Light::Ultraviolet}) {
      const std::string name(to_string(light));
      const auto* command_table = t.get(name);
      const bool listed = std::find(lights.begin(), lights.end(), light) != lights.end();
      if (!command_table) {
        if (listed) fail(&t, "lamps." + name + " is missing: every light in `lights` needs its command");
        continue;
      }
      if (!listed) fail(command_table, "lamps." + name + " is for a light the profile's `lights` does not list");
      if (!command_table->is_table()) fail(command_table, "lamps." + name + " must be a table ([lamps." + name + "])");
      const auto& c = *command_table->as_table();
      const std::string prefix = "lamps." + name + ".";
      LampControl::Command command;
      if (hid) {
        only_keys(c, prefix, {"report"});
        auto report = bytes(c, prefix, "report");
        if (!report || report->empty()) fail(command_table, prefix + "report is required: the output report's bytes");
        command.data = std::move(*report);
      } else {
        only_keys(c, prefix, {"value", "index", "data"});
        const auto value = integer(c, prefix, "value", 0, 0xffff, kWriteHex);
        if (!value) fail(command_table, prefix + "value (wValue) is required");
        command.value = static_cast<std::uint16_t>(*value);
        command.index = static_cast<std::uint16_t>(integer(c, prefix, "index", 0, 0xffff, kWriteHex).value_or(0));
        if (auto data = bytes(c, prefix, "data")) command.data = std::move(*data);
      }
      l.lights[light] = std::move(command);
    }
    return l;
  }

  // `documents`: a document camera's table, which also says how pages are found and captured.
  CameraSettings camera(const toml::table& t, bool documents) const {
    std::vector<std::string_view> known{"source", "width", "height", "settle_frames"};
    if (documents) known.insert(known.end(), {"still_frames", "page_width_mm", "page_height_mm", "presence_threshold", "encoding"});
    only_keys(t, "camera.", known);
    CameraSettings c;
    // A device index is an integer; anything else is a device node or a file VideoCapture plays.
    const auto* source = t.get("source");
    if (source && source->is_integer()) {
      const auto index = *source->value<std::int64_t>();
      if (index < 0 || index > 63) fail(source, "camera.source must be a device index from 0 to 63, or a path");
      c.source = std::to_string(index);
    } else {
      c.source = required_text(t, "camera.", "source");
      const bool index = c.source.find_first_not_of("0123456789") == std::string::npos;
      if (index && c.source.size() > 2) fail(source, "camera.source must be a device index from 0 to 63, or a path");
      if (!index && c.source.rfind("/dev/", 0) != 0) c.source = beside(c.source);
    }
    integer(t, "camera.", "width", c.width, 0, 8192);
    integer(t, "camera.", "height", c.height, 0, 8192);
    integer(t, "camera.", "settle_frames", c.settle_frames, 0, 60);
    integer(t, "camera.", "still_frames", c.still_frames, 1, 100);
    number(t, "camera.", "page_width_mm", c.page_width_mm, 20, 500);
    number(t, "camera.", "page_height_mm", c.page_height_mm, 20, 500);
    number(t, "camera.", "presence_threshold", c.presence_threshold, 0.01, 0.95);
    if (const auto encoding = text(t, "camera.", "encoding")) {
      if (*encoding != "png" && *encoding != "jpeg") fail(t.get("encoding"), "camera.encoding must be \"png\" or \"jpeg\"");
      c.encoding = *encoding;
    }
    return c;
  }

  FaceSettings face(const toml::table& t) const {
    only_keys(t, "face.", {"cascade", "margin", "width", "min_face"});
    FaceSettings f;
    if (const auto cascade = text(t, "face.", "cascade")) f.cascade = beside(*cascade);
    number(t, "face.", "margin", f.margin, 0, 3);
    integer(t, "face.", "width", f.width, 70, 2000);
    number(t, "face.", "min_face", f.min_face, 0.01, 0.9);
    return f;
  }

 private:
  static constexpr std::string_view kWriteHex = " (write hex as 0x1a2b)";
  static std::string trimmed(double v) {
    auto s = std::to_string(v);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  std::string path_;
};

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
  const ProfileReader read(path);
  read.only_keys(t, "", {"id", "model", "class", "driver", "lights", "dpi", "capture_delay_ms", "reconnect_ms", "socket", "camera", "face",
                         "usb", "framing", "lamps"});
  DeviceProfile p;
  p.file = path;
  p.id = read.required_text(t, "", "id");
  p.model = read.required_text(t, "", "model");
  const auto device_class = named<DeviceClass>(read.required_text(t, "", "class"), kDeviceClasses);
  if (!device_class)
    read.fail(t.get("class"), "class must be " + one_of(kDeviceClasses));
  p.device_class = *device_class;
  const auto driver = named<Driver>(read.required_text(t, "", "driver"), kDrivers);
  if (!driver)
    read.fail(t.get("driver"), "driver must be " + one_of(kDrivers));
  p.driver = *driver;
  if (const auto* lights = t.get("lights")) {
    const auto* array = lights->as_array();
    if (!array) read.fail(lights, "lights must be an array, e.g. [\"white\", \"ir\"]");
    for (const auto& node : *array) {
      const auto name = node.value_exact<std::string>().value_or("");
      if (name == "white") p.lights.push_back(Light::White);
      else if (name == "ir") p.lights.push_back(Light::Infrared);
      else if (name == "uv") p.lights.push_back(Light::Ultraviolet);
      else read.fail(lights, "lights holds \"white\", \"ir\" and \"uv\" only");
    }
  }
  // A text-only reader has no lights; everything that takes pictures has white at least.
  if (p.lights.empty() && p.device_class != DeviceClass::MrzReader) p.lights = {Light::White};
  read.integer(t, "", "dpi", p.dpi, 100, 1200);
  read.integer(t, "", "capture_delay_ms", p.capture_delay_ms, 0, 60'000);
  read.integer(t, "", "reconnect_ms", p.reconnect_ms, 50, 60'000);
  if (const auto socket = read.text(t, "", "socket")) p.socket = read.beside(*socket);
  if (p.driver == Driver::SimulatedProcess && p.socket.empty()) read.fail("socket is required by the simulated-process driver");
  if (const auto* usb = read.table(t, "usb")) p.usb = read.usb(*usb);
  if (const auto* framing = read.table(t, "framing")) {
    if (p.device_class != DeviceClass::MrzReader) read.fail(framing, "[framing] applies to class \"mrz-reader\" only");
    p.framing = read.framing(*framing);
  }
  if (const auto* lamps = read.table(t, "lamps")) {
    if (p.device_class != DeviceClass::DocumentCamera) read.fail(lamps, "[lamps] applies to class \"document-camera\" only");
    if (!p.usb) read.fail(lamps, "[lamps] needs a [usb] table to find the camera");
    p.lamps = read.lamps(*lamps, p.lights);
  }
  if (p.device_class == DeviceClass::MrzReader) {
    if (p.driver != Driver::UsbMrzReader) read.fail(t.get("driver"), "driver must be \"usb-mrz-reader\" for class \"mrz-reader\"");
    if (!p.usb) read.fail("class \"mrz-reader\" needs a [usb] table");
    if (!p.framing) read.fail("class \"mrz-reader\" needs a [framing] table");
  }

  const bool camera_driver = p.driver == Driver::UvcCamera;
  const auto* camera = read.table(t, "camera");
  if (camera_driver && !camera) read.fail("the uvc-camera driver needs a [camera] table (source, ...)");
  if (camera && !camera_driver) read.fail(t.get("camera"), "camera belongs to the uvc-camera driver only");
  if (camera) p.camera = read.camera(*camera, p.device_class != DeviceClass::TravellerCamera);
  const auto* face = read.table(t, "face");
  if (face && p.device_class != DeviceClass::TravellerCamera) read.fail(t.get("face"), "face belongs to traveller cameras only");
  if (face) p.face = read.face(*face);
  if (p.device_class == DeviceClass::TravellerCamera && p.driver != Driver::UvcCamera)
    read.fail(t.get("driver"), "driver: a traveller camera is driven by \"uvc-camera\"");
  return p;
}

std::vector<DeviceProfile> load_profiles(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw ProfileError(folder + ": not a folder of device profiles");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<DeviceProfile> profiles;
  for (const auto& file : files) profiles.push_back(load_profile(file.string()));
  return profiles;
}

std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options) {
  if (profile.device_class == DeviceClass::TravellerCamera)
    throw ProfileError(profile.file + ": a traveller-camera profile does not describe a page reader");
  switch (profile.driver) {
    case Driver::UvcCamera:
      // A camera whose profile switches its lamps over USB gets its lamp controller, followed across
      // unplugs; while it is missing the camera still reads pages under the light it has.
      return std::make_unique<CameraPageReader>(profile, profile.lamps ? follow_usb_lamp_switch(profile) : nullptr);
    case Driver::SimulatedProcess: return std::make_unique<ProcessPageReader>(profile);
    case Driver::Simulated:
      if (options.samples_dir.empty()) throw ProfileError(profile.file + ": the simulated reader needs a samples folder (devices.samples)");
      return std::make_unique<SimulatedPageReader>(profile, options.samples_dir);
    case Driver::UsbMrzReader: return std::make_unique<HotplugMrzReader>(profile);
  }
  throw ProfileError(profile.file + ": unknown driver");  // unreachable: every Driver is handled above
}

}  // namespace borderpost::bridge
