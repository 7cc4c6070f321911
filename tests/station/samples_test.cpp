// The sample documents of the simulated full-page reader (config/samples/): the manifest is
// complete, every capture decodes, and the optical reader still reads each page as the manifest
// says, so a reader change that breaks the demo documents fails here.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <opencv2/imgcodecs.hpp>
#include <toml++/toml.h>

#include "mrz_optical/read.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSamples = BORDERPOST_STATION_SAMPLES;

const toml::table& manifest() {
  static const toml::table table = toml::parse_file((kSamples / "samples.toml").string());
  return table;
}

std::vector<const toml::table*> samples() {
  std::vector<const toml::table*> out;
  if (const auto* list = manifest()["samples"].as_array()) {
    for (const auto& node : *list) {
      if (const auto* table = node.as_table()) out.push_back(table);
    }
  }
  return out;
}

std::string text(const toml::table& table, std::string_view key) { return table[key].value_or(std::string()); }

std::vector<std::string> mrz_lines(const toml::table& sample) {
  std::vector<std::string> lines;
  if (const auto* list = sample["mrz"].as_array()) {
    for (const auto& line : *list) lines.push_back(line.value_or(std::string()));
  }
  return lines;
}

std::string expected_check(const toml::table& sample, const std::string& id) {
  if (const auto* checks = sample["checks"].as_table()) return (*checks)[id].value_or(std::string());
  return {};
}

mrz::optical::ReadOptions on_reference_day() {
  // The manifest's expectations hold on its reference day (2026-11-23); the century rule of the
  // dates works from it too.
  const std::string day = manifest()["reference_date"].value_or(std::string());
  mrz::optical::ReadOptions options;
  options.parse.as_of = std::chrono::year_month_day{std::chrono::year{std::stoi(day.substr(0, 4))},
                                                    std::chrono::month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                                                    std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
  return options;
}

}  // namespace

TEST_CASE("the manifest lists the seventeen samples in demo order for the reference day 2026-11-23") {
  CHECK(text(manifest(), "reference_date") == "2026-11-23");
  const auto all = samples();
  REQUIRE(all.size() == 17);
  std::vector<std::string> names;
  for (const auto* sample : all) {
    const std::string name = text(*sample, "name");
    INFO("sample " << name);
    CHECK_FALSE(name.empty());
    CHECK_FALSE(text(*sample, "description").empty());
    const std::string read = text(*sample, "read");
    CHECK((read == "valid" || read == "invalid" || read == "not-found" || read == "needs-review"));
    CHECK(fs::is_directory(kSamples / name));
    names.push_back(name);
  }
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
}

TEST_CASE("every expected check is one the station runs, with a status it can give") {
  const std::set<std::string> ids = {"mrz.valid",          "mrz.legible",        "document.expired",
                                     "document.expires_soon", "document.code_known", "traveller.minor",
                                     "watchlist.document", "watchlist.person",   "movement.sequence",
                                     "stay.overstay",      "security.ir_mrz",    "security.uv_dull",
                                     "security.photo_present", "security.viz_matches_mrz", "security.mrz_print"};
  const std::set<std::string> statuses = {"pass", "warn", "fail", "not-run"};
  for (const auto* sample : samples()) {
    INFO("sample " << text(*sample, "name"));
    if (const auto* checks = (*sample)["checks"].as_table()) {
      for (const auto& entry_id : *checks) {  // named, not bound: clang 14 lambdas cannot capture bindings
        const auto& id = entry_id.first;
        const auto& status = entry_id.second;
        INFO("check " << id.str());
        CHECK(ids.count(std::string(id.str())) == 1);
        CHECK(statuses.count(status.value_or(std::string())) == 1);
      }
    }
  }
}

TEST_CASE("every sample has its white, infrared and ultraviolet captures and they decode") {
  for (const auto* sample : samples()) {
    const std::string name = text(*sample, "name");
    for (const char* light : {"white", "ir", "uv"}) {
      INFO("sample " << name << ", light " << light);
      const std::string file = (*sample)["images"][light].value_or(std::string());
      REQUIRE_FALSE(file.empty());
      const cv::Mat image = cv::imread((kSamples / name / file).string(), cv::IMREAD_UNCHANGED);
      REQUIRE_FALSE(image.empty());
      CHECK(image.depth() == CV_8U);
      CHECK(image.cols >= 900);  // 300 dpi: even an ID-1 card is over 1000 pixels wide
      CHECK(image.rows >= 600);
    }
  }
}

TEST_CASE("watch-listed samples name the entry the post's list must hold and it matches the document") {
  int documents = 0;
  int persons = 0;
  for (const auto* sample : samples()) {
    const std::string name = text(*sample, "name");
    INFO("sample " << name);
    const auto* entry = (*sample)["watchlist"].as_table();
    if (expected_check(*sample, "watchlist.document") == "fail") {
      REQUIRE(entry != nullptr);
      CHECK(text(*entry, "kind") == "document");
      CHECK_FALSE(text(*entry, "reason").empty());
      const auto lines = mrz_lines(*sample);
      REQUIRE(lines.size() == 2);
      // TD3: the number is the first nine characters of line 2 (fillers dropped), the issuer
      // characters 3-5 of line 1.
      std::string number = lines[1].substr(0, 9);
      number.erase(std::remove(number.begin(), number.end(), '<'), number.end());
      std::string issuer = lines[0].substr(2, 3);
      issuer.erase(std::remove(issuer.begin(), issuer.end(), '<'), issuer.end());
      CHECK(text(*entry, "document_number") == number);
      CHECK(text(*entry, "issuer") == issuer);
      ++documents;
    }
    if (expected_check(*sample, "watchlist.person") == "fail") {
      REQUIRE(entry != nullptr);
      CHECK(text(*entry, "kind") == "person");
      CHECK_FALSE(text(*entry, "surname").empty());
      CHECK_FALSE(text(*entry, "given_names").empty());
      CHECK(text(*entry, "birth_date").size() == 10);
      CHECK_FALSE(text(*entry, "nationality").empty());
      CHECK_FALSE(text(*entry, "reason").empty());
      ++persons;
    }
  }
  CHECK(documents == 1);
  CHECK(persons == 1);
}

TEST_CASE("the optical reader reads every sample as the manifest says") {
  const mrz::optical::Reader reader;
  const auto options = on_reference_day();
  for (const auto* sample : samples()) {
    const std::string name = text(*sample, "name");
    const std::string white = (*sample)["images"]["white"].value_or(std::string());
    const auto result = reader.read_file((kSamples / name / white).string(), options);
    std::string status(mrz::optical::to_string(result.status));
    std::replace(status.begin(), status.end(), '_', '-');
    INFO("sample " << name << ": " << result.message);
    CHECK(status == text(*sample, "read"));
    if (result.status != mrz::optical::ReadStatus::NotFound) CHECK(result.mrz.lines == mrz_lines(*sample));
    CHECK(result.orientation == (*sample)["orientation"].value_or(0));
  }
}
