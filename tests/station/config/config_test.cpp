// Station configuration: the shipped file loads; mistakes stop the daemon with file, line, reason.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using borderpost::station::ConfigError;
using borderpost::station::load_station_config;

// Each configuration in a folder of its own (paths in it are read relative to the file), all
// removed when the test program ends.
std::string write_config(const std::string& text) {
  static const borderpost::test::TempDir scratch("config");
  static int written = 0;
  const auto dir = scratch.path / std::to_string(++written);
  fs::create_directories(dir);
  const auto path = dir / "station.toml";
  std::ofstream(path) << text;
  return path.string();
}

const char* const kMinimal = "[post]\nstation_id = \"PE-TUMBES-01\"\ncountry = \"PER\"\n";

}  // namespace

TEST_CASE("the shipped config/station.toml loads with its documented values") {
  const auto c = load_station_config(BORDERPOST_SOURCE_DIR "/config/station.toml");
  CHECK(c.post.station_id == "PE-TUMBES-01");
  CHECK(c.post.time_zone == "America/Lima");
  CHECK(c.api.address == "127.0.0.1");
  CHECK(c.rules.age_of_majority == 18);
  CHECK(c.rules.stays.size() == 2);
  CHECK(c.refusal_reasons.size() == 5);
  CHECK(c.refusal_reasons[1].labels.at("es") == "Documento falso, falsificado o alterado");
  CHECK(c.refusal_reasons[1].labels.count("en") == 0);  // English is the label itself
  CHECK_FALSE(c.post.pinned_date);
  CHECK(fs::exists(c.devices.page_reader));
  CHECK(fs::exists(fs::path(c.api.web_dir) / "desk.html"));
  CHECK(c.accounts.session_idle_minutes == 10);
  CHECK(c.accounts.cost().memory_kib == 65536);
}

TEST_CASE("a minimal file gets safe defaults: loopback API, no sync, UTC") {
  const auto c = load_station_config(write_config(kMinimal));
  CHECK(c.api.address == "127.0.0.1");
  CHECK(c.api.port == 8780);
  CHECK_FALSE(c.sync.enabled);
  CHECK(c.post.time_zone == "UTC");
  CHECK(c.post.default_direction == borderpost::station::Direction::entry);
  CHECK(c.refusal_reasons.size() == 3);
  CHECK(c.api.web_dir.empty());  // the API only, unless the pages are named
  CHECK(c.accounts.lockout_failures == 5);
}

TEST_CASE("an unknown option is refused with its file and line") {
  const auto path = write_config(std::string(kMinimal) + "\n[rules]\nage_of_majorty = 18\n");
  CHECK_THROWS_WITH_AS(load_station_config(path), doctest::Contains((path + ":6: rules.age_of_majorty is not a known option").c_str()), ConfigError);
}

TEST_CASE("a value of the wrong type is refused with its line") {
  const auto path = write_config(std::string(kMinimal) + "[api]\nport = \"8780\"\n");
  CHECK_THROWS_WITH_AS(load_station_config(path), doctest::Contains((path + ":5: api.port must be an integer").c_str()), ConfigError);
}

TEST_CASE("an out-of-range value, a missing path and an unknown time zone are refused") {
  CHECK_THROWS_WITH_AS(load_station_config(write_config(std::string(kMinimal) + "[api]\nport = 70000\n")),
                       doctest::Contains("api.port must be between 0 and 65535"), ConfigError);
  CHECK_THROWS_WITH_AS(load_station_config(write_config(std::string(kMinimal) + "[devices]\npage_reader = \"nowhere.toml\"\n")),
                       doctest::Contains("which does not exist"), ConfigError);
  CHECK_THROWS_WITH_AS(load_station_config(write_config("[post]\nstation_id = \"X-1\"\ncountry = \"PER\"\ntime_zone = \"Mars/Olympus\"\n")),
                       doctest::Contains("not a time zone known"), ConfigError);
  CHECK_THROWS_WITH_AS(load_station_config(write_config("[post]\ncountry = \"PER\"\n")), doctest::Contains("station_id is required"), ConfigError);
}

TEST_CASE("the default direction is entry or exit, and nothing else") {
  CHECK(load_station_config(write_config(std::string(kMinimal) + "default_direction = \"exit\"\n")).post.default_direction ==
        borderpost::station::Direction::exit);
  CHECK_THROWS_WITH_AS(load_station_config(write_config(std::string(kMinimal) + "default_direction = \"transit\"\n")),
                       doctest::Contains("default_direction"), ConfigError);
}

TEST_CASE("a refusal reason's label in a language the pages do not speak is refused") {
  const auto path = write_config(std::string(kMinimal) +
                                 "[[refusal_reasons]]\ncode = \"A\"\nlabel = \"No document\"\nlabels = { es = \"Sin documento\", de = \"Kein Dokument\" }\n");
  CHECK_THROWS_WITH_AS(load_station_config(path), doctest::Contains("refusal_reasons.labels.de is not a known option"), ConfigError);
}

TEST_CASE("a syntax error names the line") {
  const auto path = write_config(std::string(kMinimal) + "[api\n");
  CHECK_THROWS_WITH_AS(load_station_config(path), doctest::Contains((path + ":4:").c_str()), ConfigError);
}

TEST_CASE("sync cannot be enabled without credentials") {
  CHECK_THROWS_WITH_AS(load_station_config(write_config(std::string(kMinimal) + "[sync]\nenabled = true\n")),
                       doctest::Contains("sync.credentials is required"), ConfigError);
}

TEST_CASE("the optical security tolerances are read from [rules.security]") {
  const auto c = load_station_config(write_config(std::string(kMinimal) +
                                                  "[rules.security]\nir_min_contrast = 0.5\nuv_max_brightness = 0.5\n"
                                                  "pitch_tolerance = 0.08\nline_spacing_tolerance_mm = 0.7\nposition_tolerance_mm = 1.5\n"
                                                  "max_skew_degrees = 4\nviz_min_characters = 30\n"));
  CHECK(c.rules.security.ir_min_contrast == doctest::Approx(0.5));
  CHECK(c.rules.security.uv_max_brightness == doctest::Approx(0.5));
  CHECK(c.rules.security.pitch_tolerance == doctest::Approx(0.08));
  CHECK(c.rules.security.line_spacing_tolerance_mm == doctest::Approx(0.7));
  CHECK(c.rules.security.position_tolerance_mm == doctest::Approx(1.5));
  CHECK(c.rules.security.max_skew_degrees == doctest::Approx(4.0));  // an integer where a number is wanted
  CHECK(c.rules.security.viz_min_characters == 30);
}

TEST_CASE("without [rules.security] the tolerances are Doc 9303's defaults, as the shipped file documents them") {
  const borderpost::station::SecurityRules defaults;
  for (const auto& c : {load_station_config(write_config(kMinimal)), load_station_config(BORDERPOST_SOURCE_DIR "/config/station.toml")}) {
    CHECK(c.rules.security.ir_min_contrast == defaults.ir_min_contrast);
    CHECK(c.rules.security.uv_max_brightness == defaults.uv_max_brightness);
    CHECK(c.rules.security.pitch_tolerance == defaults.pitch_tolerance);
    CHECK(c.rules.security.line_spacing_tolerance_mm == defaults.line_spacing_tolerance_mm);
    CHECK(c.rules.security.position_tolerance_mm == defaults.position_tolerance_mm);
    CHECK(c.rules.security.max_skew_degrees == defaults.max_skew_degrees);
    CHECK(c.rules.security.viz_min_characters == defaults.viz_min_characters);
  }
}

TEST_CASE("a security tolerance out of its range, or unknown, is refused with its file and line") {
  const auto percent = write_config(std::string(kMinimal) + "[rules.security]\npitch_tolerance = 5\n");
  CHECK_THROWS_WITH_AS(load_station_config(percent),
                       doctest::Contains((percent + ":5: rules.security.pitch_tolerance must be between 0.01 and 0.5").c_str()), ConfigError);
  const auto contrast = write_config(std::string(kMinimal) + "[rules.security]\nmax_skew_degrees = 2\nir_min_contrast = 60\n");
  CHECK_THROWS_WITH_AS(load_station_config(contrast),
                       doctest::Contains((contrast + ":6: rules.security.ir_min_contrast must be between 0.1 and 1").c_str()), ConfigError);
  CHECK_THROWS_WITH_AS(load_station_config(write_config(std::string(kMinimal) + "[rules.security]\nviz_min_characters = -1\n")),
                       doctest::Contains("rules.security.viz_min_characters must be between 0 and 500"), ConfigError);
  const auto misspelt = write_config(std::string(kMinimal) + "[rules.security]\nskew_degrees = 2\n");
  CHECK_THROWS_WITH_AS(load_station_config(misspelt), doctest::Contains((misspelt + ":5: rules.security.skew_degrees is not a known option").c_str()),
                       ConfigError);
}
