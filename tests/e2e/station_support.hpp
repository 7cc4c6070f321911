// A station daemon for the end-to-end tests: a throw-away post (configuration, data directory,
// sample documents) started as the real borderpost-station process.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mrz/mrz.hpp"
#include "process.hpp"
#include "typed_mrz.hpp"
#include "accounts/accounts.hpp"
#include "web/local_client.hpp"
#include "store/store.hpp"

namespace borderpost::test {

inline const std::string kStationBin = BORDERPOST_STATION_BIN;
inline const std::string kBorderpostBin = BORDERPOST_BIN;
namespace fs = std::filesystem;
using station::EventFeed;
using station::StationClient;
using station::ApiAnswer;

// Every test post has an inspector and a supervisor (cheap password hashing: see write_config).
inline const std::string kInspector = "insp-07", kSupervisor = "sup-01", kTestPassword = "test passphrase 07";

struct StationPost {
  fs::path dir;
  std::string extra_config;  // appended TOML
  std::string devices_config;  // more [devices] options (TOML lines)
  std::string page_reader = BORDERPOST_SOURCE_DIR "/hw-profiles/simulated-page-reader.toml";  // its profile
  std::string pinned_date = "2026-11-23";  // the post's "today"
  std::unique_ptr<BackgroundProcess> process;
  unsigned short port = 0;
  bool accounts_made = false;

  explicit StationPost(const std::string& name, std::string extra = {}) : extra_config(std::move(extra)) {
    dir = fs::temp_directory_path() / ("bp-station-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "samples");
  }
  ~StationPost() {
    process.reset();
    fs::remove_all(dir);
  }
  std::string config_path() const { return (dir / "station.toml").string(); }
  std::string db_path() const { return (dir / "data" / "station.db").string(); }

  // A sample document folder for the simulated reader, from an image file.
  void add_sample(const std::string& name, const fs::path& white_image) {
    fs::create_directories(dir / "samples" / name);
    fs::copy_file(white_image, dir / "samples" / name / ("white" + white_image.extension().string()), fs::copy_options::overwrite_existing);
  }
  // The clean printed TD3 page of tests/data/mrz-pages, the passport most tests place on the reader.
  void add_passport_sample(const std::string& name = "01-passport") {
    add_sample(name, BORDERPOST_SOURCE_DIR "/tests/data/mrz-pages/000-TD3-clean-printed-rot0.jpg");
  }
  void add_sample_bytes(const std::string& name, const std::string& file, const std::string& bytes) {
    fs::create_directories(dir / "samples" / name);
    std::ofstream(dir / "samples" / name / file, std::ios::binary) << bytes;
  }

  void write_config(const std::string& samples = "samples") const {
    std::ofstream(config_path()) << "data_dir = \"data\"\n"
                                    "[post]\nstation_id = \"PE-TEST-01\"\ncountry = \"PER\"\ntime_zone = \"America/Lima\"\n"
                                    "pinned_date = \"" << pinned_date << "\"\n"
                                    "[devices]\npage_reader = \"" << page_reader << "\"\n"
                                    "samples = \"" << samples << "\"\n" << devices_config << "[api]\nport = 0\nweb_dir = \"" BORDERPOST_SOURCE_DIR "/station/web\"\n"
                                    "[accounts]\npassword_memory_kib = 256\npassword_passes = 1\n"
                                 << extra_config;
  }

  // Before the first start only: later starts must find the database exactly as the daemon left it.
  void make_accounts() {
    if (accounts_made) return;
    accounts_made = true;
    fs::create_directories(dir / "data");
    station::Store store(db_path());
    station::Accounts accounts(store.db(), {1, 256, 1});
    if (accounts.find(kInspector)) return;
    accounts.add(kInspector, "Ana Ramírez", station::Role::Inspector, kTestPassword);
    accounts.add(kSupervisor, "Rosa Quispe", station::Role::Supervisor, kTestPassword);
  }

  void start() {
    if (!fs::exists(config_path())) write_config();
    make_accounts();
    process = std::make_unique<BackgroundProcess>(kStationBin, std::vector<std::string>{"--config", config_path()}, dir.string());
    port = static_cast<unsigned short>(std::stoi(process->wait_for_line("listening on port ")));
  }
  // The opening of most tests that read a document: the passport sample added, the post started,
  // and the inspector's client.
  StationClient start_with_passport() {
    add_passport_sample();
    start();
    return client();
  }
  // A client logged in as the inspector (or as `account`).
  StationClient client(const std::string& account = kInspector) const {
    StationClient c(port);
    const auto login = c.login(account, kTestPassword);
    REQUIRE_MESSAGE(login.status == 200, login.body.dump() << login.error);
    return c;
  }
};

// Places `sample` on the simulated reader and waits until the event feed says it was placed.
inline void place_and_wait(const StationClient& api, EventFeed& events, const std::string& sample = "01-passport") {
  REQUIRE(api.post("/api/simulator/place", {{"sample", sample}}).status == 202);
  REQUIRE(events.wait_for("document-placed", std::chrono::seconds(10)));
}

// Polls GET /api/status until the page reader's "connected" is `wanted` (false when time is up).
inline bool reader_connected(const StationClient& api, bool wanted, int timeout_ms = 10'000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (api.get("/api/status").body["reader"]["connected"] == wanted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// Every movement of a day through the paged GET /api/movements, in order.
inline std::vector<nlohmann::json> all_movements(const StationClient& api, const std::string& date) {
  std::vector<nlohmann::json> all;
  std::string after;
  for (;;) {
    const auto page = api.get("/api/movements?date=" + date + "&limit=5000" + (after.empty() ? "" : "&after=" + after));
    REQUIRE_MESSAGE(page.status == 200, page.error);
    for (const auto& m : page.body["movements"]) all.push_back(m);
    if (page.body["next"].is_null()) return all;
    after = page.body["next"].get<std::string>();
  }
}

}  // namespace borderpost::test
