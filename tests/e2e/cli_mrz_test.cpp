// `borderpost mrz parse` as a user runs it: arguments, standard input, JSON, exit codes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process.hpp"

using borderpost::test::run_process;

namespace {
const std::string kLine1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kLine2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
}  // namespace

TEST_CASE("mrz parse --json prints the documented keys for the TD3 specimen and exits 0") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "--json", "--as-of", "2026-11-23", kLine1, kLine2});
  CHECK(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["valid"] == true);
  CHECK(json["format"] == "TD3");
  CHECK(json["document_code"] == "P");
  CHECK(json["issuing_state"] == "UTO");
  CHECK(json["surname"] == "ERIKSSON");
  CHECK(json["given_names"] == "ANNA MARIA");
  CHECK(json["document_number"] == "L898902C3");
  CHECK(json["nationality"] == "UTO");
  CHECK(json["birth_date"] == "1974-08-12");
  CHECK(json["sex"] == "F");
  CHECK(json["expiry_date"] == "2012-04-15");
  CHECK(json["optional_data"] == "ZE184226B");
  CHECK(json["optional_data_2"] == "");
  for (const char* check : {"document_number", "birth_date", "expiry_date", "optional_data", "composite"}) {
    CHECK_MESSAGE(json["checks"][check] == true, check);
  }
  CHECK(json["problems"].is_array());
  CHECK(json["problems"].empty());
}

TEST_CASE("mrz parse exits 1 and lists the problem when a check digit fails") {
  std::string bad = kLine2;
  bad[9] = '7';
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "--json", kLine1, bad});
  CHECK(r.exit_code == 1);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["valid"] == false);
  CHECK(json["checks"]["document_number"] == false);
  REQUIRE_FALSE(json["problems"].empty());
  CHECK(json["problems"][0]["field"] == "document_number");
  CHECK(json["problems"][0]["position"] == 10);
  CHECK_FALSE(json["problems"][0]["message"].get<std::string>().empty());
}

TEST_CASE("mrz parse reads documents from standard input, separated by blank lines") {
  const std::string input = kLine1 + "\n" + kLine2 + "\n\nI<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n";
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "--json"}, input);
  CHECK(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  CHECK(nlohmann::json::parse(first)["format"] == "TD3");
  CHECK(nlohmann::json::parse(second)["format"] == "TD1");
}

TEST_CASE("mrz parse exits 2 with a message on stderr for input that is not an MRZ") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "hello", "world"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not an MRZ") != std::string::npos);
}

TEST_CASE("mrz parse exits 2 for usage errors") {
  CHECK(run_process(BORDERPOST_BIN, {"mrz", "parse", "--as-of", "23/11/2026", kLine1, kLine2}).exit_code == 2);
  CHECK(run_process(BORDERPOST_BIN, {"mrz", "parse", "--no-such-flag"}).exit_code == 2);
  CHECK(run_process(BORDERPOST_BIN, {"mrz", "parse"}, "").exit_code == 2);
  CHECK(run_process(BORDERPOST_BIN, {}).exit_code == 2);
}

TEST_CASE("mrz parse --help documents the exit codes") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Exit status") != std::string::npos);
}

TEST_CASE("human output names the format, verdict and each field") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", kLine1, kLine2});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("TD3  VALID") != std::string::npos);
  CHECK(r.out.find("ERIKSSON") != std::string::npos);
  CHECK(r.out.find("Utopia") != std::string::npos);
  CHECK(r.out.find("1974-08-12") != std::string::npos);
}

TEST_CASE("every ICAO specimen shipped with run.sh parses as valid") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(BORDERPOST_SPECIMENS)) {
    if (entry.path().extension() != ".mrz") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    const auto r = run_process(BORDERPOST_BIN, {"mrz", "parse", "--json", "--as-of", "2026-11-23"}, text.str());
    CHECK_MESSAGE(r.exit_code == 0, entry.path().filename().string(), ": ", r.out, r.err);
    ++files;
  }
  CHECK(files >= 6);
}

namespace {
const std::string kPage = std::string(BORDERPOST_DATA) + "/mrz-pages/000-TD3-clean-printed-rot0.jpg";

std::string temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("borderpost-e2e-" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}
}  // namespace

TEST_CASE("mrz read --json prints the parse keys plus lines, quad, orientation, confidence, repaired, elapsed_ms") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "read", "--json", "--as-of", "2026-11-23", kPage});
  CHECK(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["valid"] == true);
  CHECK(json["status"] == "valid");
  CHECK(json["format"] == "TD3");
  CHECK(json["lines"].size() == 2);
  CHECK(json["quad"].size() == 4);
  CHECK(json["orientation"] == 0);
  CHECK(json["confidence"].contains("document_number"));
  CHECK(json["repaired"].is_array());
  CHECK(json["elapsed_ms"].get<double>() > 0);
  CHECK(json["checks"]["composite"] == true);
}

TEST_CASE("mrz read exits 3 when an image has no MRZ") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "read", std::string(BORDERPOST_DATA) + "/fuzz-images/gray-32x24.png"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("not_found") != std::string::npos);
}

TEST_CASE("mrz read exits 2 for unusable input: missing, not an image, empty, truncated") {
  const auto missing = run_process(BORDERPOST_BIN, {"mrz", "read", "/nonexistent/page.jpg"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot open") != std::string::npos);
  CHECK(run_process(BORDERPOST_BIN, {"mrz", "read", temp_file("text.jpg", "not an image")}).exit_code == 2);
  CHECK(run_process(BORDERPOST_BIN, {"mrz", "read", temp_file("empty.png", "")}).exit_code == 2);
  std::ifstream page(kPage, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  const auto truncated = run_process(BORDERPOST_BIN, {"mrz", "read", temp_file("half.jpg", bytes.substr(0, bytes.size() / 2))});
  CHECK(truncated.exit_code == 2);
  CHECK(truncated.err.find("truncated") != std::string::npos);
}

TEST_CASE("mrz read with several images exits with the worst outcome") {
  const auto r = run_process(BORDERPOST_BIN, {"mrz", "read", kPage, std::string(BORDERPOST_DATA) + "/fuzz-images/gray-32x24.png"});
  CHECK(r.exit_code == 3);
}
