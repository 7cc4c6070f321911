// Station configuration: the shipped file loads; mistakes stop the daemon with file, line, reason.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "station/config.hpp"
#include "sync/crypto.hpp"

namespace {

namespace fs = std::filesystem;
using borderpost::station::ConfigError;
using borderpost::station::load_station_config;

std::string write_config(const std::string& text) {
  const auto dir = fs::temp_directory_path() / ("bp-config-" + borderpost::sync::random_uuid());
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
  CHECK(c.post.default_direction == "entry");
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
