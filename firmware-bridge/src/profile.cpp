// Device profiles: strict loading of hw-profiles/*.toml and the driver each one names.
#include "firmware_bridge/profile.hpp"

#include <toml++/toml.h>

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

DeviceProfile load_profile(const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ProfileError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    throw ProfileError(path + ": " + e.what());
  }
  auto where = [&](const char* key) {
    const auto* node = t.get(key);
    return path + ":" + std::to_string(node ? node->source().begin.line : 1) + ": " + key;
  };
  auto text = [&](const char* key) {
    const auto* node = t.get(key);
    if (!node) throw ProfileError(path + ": " + key + " is required");
    auto v = node->value_exact<std::string>();
    if (!v || v->empty()) throw ProfileError(where(key) + " must be a non-empty string");
    return *v;
  };
  static const std::vector<std::string> known{"id", "model", "class", "driver", "lights", "dpi", "capture_delay_ms"};
  for (const auto& [key, node] : t)
    if (std::find(known.begin(), known.end(), key.str()) == known.end())
      throw ProfileError(path + ":" + std::to_string(node.source().begin.line) + ": " + std::string(key.str()) +
                         " is not a profile key (see hw-profiles/README.md)");
  DeviceProfile p;
  p.file = path;
  p.id = text("id");
  p.model = text("model");
  p.device_class = text("class");
  if (p.device_class != "page-reader") throw ProfileError(where("class") + " must be \"page-reader\" (the only class so far)");
  p.driver = text("driver");
  if (const auto* lights = t.get_as<toml::array>("lights")) {
    for (const auto& node : *lights) {
      const auto name = node.value_exact<std::string>().value_or("");
      if (name == "white") p.lights.push_back(Light::White);
      else if (name == "ir") p.lights.push_back(Light::Infrared);
      else if (name == "uv") p.lights.push_back(Light::Ultraviolet);
      else throw ProfileError(where("lights") + " holds \"white\", \"ir\" and \"uv\" only");
    }
  }
  if (p.lights.empty()) p.lights = {Light::White};
  if (const auto* dpi = t.get("dpi")) {
    const auto v = dpi->value_exact<std::int64_t>();
    if (!v || *v < 100 || *v > 1200) throw ProfileError(where("dpi") + " must be an integer from 100 to 1200");
    p.dpi = static_cast<int>(*v);
  }
  if (const auto* delay = t.get("capture_delay_ms")) {
    const auto v = delay->value_exact<std::int64_t>();
    if (!v || *v < 0 || *v > 60'000) throw ProfileError(where("capture_delay_ms") + " must be an integer from 0 to 60000");
    p.capture_delay_ms = static_cast<int>(*v);
  }
  return p;
}

std::unique_ptr<PageReader> open_page_reader(const DeviceProfile& profile, const ReaderOptions& options) {
  if (profile.driver == "simulated") {
    if (options.samples_dir.empty()) throw ProfileError(profile.file + ": the simulated reader needs a samples folder (devices.samples)");
    return std::make_unique<SimulatedPageReader>(profile, options.samples_dir);
  }
  throw ProfileError(profile.file + ": driver \"" + profile.driver + "\" is not supported by this build");
}

}  // namespace borderpost::bridge
