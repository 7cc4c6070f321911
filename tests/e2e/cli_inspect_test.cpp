// `borderpost inspect` as a supervisor runs it on a scan's files: the sample documents' white, IR
// and UV images, a light left out, an image that does not decode, and a post's own tolerances.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dir.hpp"

using borderpost::test::run_process;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kSamples = BORDERPOST_SOURCE_DIR "/config/samples";
const char* const kSecurityChecks[] = {"security.ir_mrz", "security.uv_dull", "security.photo_present", "security.viz_matches_mrz",
                                       "security.mrz_print"};

// `borderpost inspect --json` on a sample's images (the lights named), judged on the samples' day.
borderpost::test::ProcessResult inspect(const std::string& sample, const std::vector<std::string>& lights,
                                        std::vector<std::string> more = {}) {
  std::vector<std::string> args{"inspect", "--json", "--dpi", "300", "--date", "2026-11-23"};
  for (const auto& light : lights) {
    args.push_back(light == "white" ? "--white" : "--" + light);
    args.push_back((kSamples / sample / (light + ".jpg")).string());
  }
  args.insert(args.end(), more.begin(), more.end());
  return run_process(BORDERPOST_BIN, args);
}

json check_of(const json& answer, const std::string& id) {
  for (const auto& c : answer["checks"])
    if (c["id"] == id) return c;
  FAIL("no check " << id << " in " << answer.dump());
  return {};
}

}  // namespace

TEST_CASE("inspect --json on a genuine passport's three images: every check with its reason and measurement, verdict pass, exit 0") {
  const auto r = inspect("01-passport-peru", {"white", "ir", "uv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto answer = json::parse(r.out);
  CHECK(answer["verdict"] == "pass");
  CHECK(answer["read"] == "valid");
  CHECK(answer["mrz"].size() == 2);
  for (const auto& c : answer["checks"]) {
    CHECK(c.contains("status"));
    CHECK(c.contains("measurement"));
    CHECK_FALSE(c["reason"].get<std::string>().empty());
    // Only what the document alone can tell: no watch-list, movement or chip checks.
    const auto id = c["id"].get<std::string>();
    CHECK_MESSAGE((id.rfind("mrz.", 0) == 0 || id.rfind("document.", 0) == 0 || id.rfind("traveller.", 0) == 0 ||
                   id.rfind("security.", 0) == 0),
                  id);
  }
  for (const char* id : kSecurityChecks) CHECK_MESSAGE(check_of(answer, id)["status"] == "pass", id);
  CHECK_FALSE(check_of(answer, "security.ir_mrz")["measurement"].get<std::string>().empty());
}

TEST_CASE("inspect on a colour photocopy fails its infrared and ultraviolet checks and exits 1, in words a person reads") {
  const auto r = inspect("14-passport-colour-photocopy-venezuela", {"white", "ir", "uv"});
  CHECK(r.exit_code == 1);
  const auto answer = json::parse(r.out);
  CHECK(answer["verdict"] == "fail");
  CHECK(check_of(answer, "security.ir_mrz")["status"] == "fail");
  CHECK(check_of(answer, "security.uv_dull")["status"] == "fail");
  // Without --json: one line per check, then the verdict.
  const auto text = run_process(BORDERPOST_BIN, {"inspect", "--date", "2026-11-23", "--white",
                                                 (kSamples / "14-passport-colour-photocopy-venezuela" / "white.jpg").string(), "--uv",
                                                 (kSamples / "14-passport-colour-photocopy-venezuela" / "uv.jpg").string()});
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("fail\tsecurity.uv_dull: ") != std::string::npos);
  CHECK(text.out.find("verdict: fail") != std::string::npos);
}

TEST_CASE("inspect with the white image alone runs the MRZ checks and says which light each security check lacked") {
  const auto r = inspect("01-passport-peru", {"white"});
  REQUIRE(r.exit_code == 0);
  const auto answer = json::parse(r.out);
  CHECK(check_of(answer, "mrz.valid")["status"] == "pass");
  const auto ir = check_of(answer, "security.ir_mrz");
  CHECK(ir["status"] == "not-run");
  CHECK(ir["reason"] == "The reader did not capture the page under infrared light.");
  CHECK(check_of(answer, "security.uv_dull")["status"] == "not-run");
  CHECK(check_of(answer, "security.photo_present")["status"] == "pass");  // white light is enough for these
}

TEST_CASE("inspect: an infrared file that does not decode is that check's problem, a white one that does not is exit 2") {
  const borderpost::test::TempDir scratch("inspect");
  const auto broken = scratch.path / "broken.jpg";
  std::ofstream(broken, std::ios::binary) << "\xFF\xD8\xFF not a picture any more";
  const auto white = (kSamples / "01-passport-peru" / "white.jpg").string();
  const auto r = run_process(BORDERPOST_BIN, {"inspect", "--json", "--date", "2026-11-23", "--white", white, "--ir", broken.string()});
  REQUIRE(r.exit_code == 0);
  const auto ir = check_of(json::parse(r.out), "security.ir_mrz");
  CHECK(ir["status"] == "not-run");
  CHECK(ir["reason"].get<std::string>().find("could not be decoded") != std::string::npos);

  const auto unusable = run_process(BORDERPOST_BIN, {"inspect", "--white", broken.string()});
  CHECK(unusable.exit_code == 2);
  CHECK(unusable.out.empty());
  CHECK(unusable.err.find("borderpost inspect: the white-light image " + broken.string() + " is unusable") != std::string::npos);
  const auto missing = run_process(BORDERPOST_BIN, {"inspect", "--white", (scratch.path / "none.jpg").string()});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("none.jpg") != std::string::npos);
}

TEST_CASE("inspect --config judges with the post's tolerances, and a wrong configuration is exit 2 with its line") {
  const borderpost::test::TempDir scratch("inspect");
  const auto config = scratch.path / "station.toml";
  const auto write = [&](const std::string& security) {
    // A post's configuration read on a supervisor's machine: its devices, pages and credentials
    // are not here, and only its rules matter.
    std::ofstream(config) << "data_dir = \"data\"\n[post]\nstation_id = \"PE-TEST-01\"\ncountry = \"PER\"\ntime_zone = \"America/Lima\"\n"
                             "[devices]\npage_reader = \"/etc/borderpost/not-on-this-machine.toml\"\n"
                             "[sync]\nenabled = true\ncredentials = \"/var/lib/borderpost/not-on-this-machine\"\n"
                             "[rules.security]\n"
                          << security;
  };
  // Copy paper glows under UV: with the default (0.45) it fails; a post that allows any brightness passes it.
  write("uv_max_brightness = 1.0\n");
  const auto lenient = inspect("14-passport-colour-photocopy-venezuela", {"white", "uv"}, {"--config", config.string()});
  INFO(lenient.err);
  REQUIRE(lenient.exit_code == 0);
  CHECK(check_of(json::parse(lenient.out), "security.uv_dull")["status"] == "pass");

  write("uv_max_brightness = 45\n");  // a percentage where a fraction belongs
  const auto wrong = inspect("14-passport-colour-photocopy-venezuela", {"white", "uv"}, {"--config", config.string()});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find("station.toml:") != std::string::npos);
  CHECK(wrong.err.find("uv_max_brightness") != std::string::npos);

  write("uv_max_brightnes = 0.5\n");  // misspelt: the rules are read as strictly as at the post
  const auto misspelt = inspect("14-passport-colour-photocopy-venezuela", {"white", "uv"}, {"--config", config.string()});
  CHECK(misspelt.exit_code == 2);
  CHECK(misspelt.err.find("uv_max_brightnes is not a known option") != std::string::npos);
}
