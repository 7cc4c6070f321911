// Exactly once under faults: 10,000 records cross a proxy that cuts, resets and delays
// connections, while the central office is killed (SIGKILL) and restarted mid-batch and the
// uploading station process is killed mid-upload. Afterwards the central office holds exactly
// those 10,000 records, each once, with every chain intact.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "fault_proxy.hpp"
#include "process.hpp"
#include "sync_tools.hpp"

using namespace borderpost::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("10,000 records arrive exactly once through cut, reset and slow connections and killed processes") {
  const fs::path dir = fs::temp_directory_path() / ("borderpost-faults-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  auto at = [&](const std::string& name) { return (dir / name).string(); };
  set_up_directorate(dir.string());
  const std::vector<std::string> post = {"--db", at("post.db"), "--station", "PE-TUMBES-01", "--credentials", at("post")};
  auto with = [&](std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  // The post keeps recording while it syncs: 250 movements before each attempt, 10,000 in all.
  int produced = 0;
  auto produce_more = [&] {
    if (produced >= 10000) return;
    borderpost_ok(with(with({"sync", "produce"}, post), {"--count", "250", "--seed", std::to_string(produced)}));
    produced += 250;
  };

  auto central = std::make_unique<BackgroundProcess>(kCentral, std::vector<std::string>{"--config", at("central.toml")}, dir.string());
  FaultProxy proxy(static_cast<unsigned short>(std::stoi(central->wait_for_line("listening on port "))), 20261123);
  proxy.set_fault_rate(0.6);
  const auto push = with(with({"sync", "push"}, post),
                         {"--central", "127.0.0.1:" + std::to_string(proxy.port()), "--server-name", "localhost", "--batch", "50", "--json"});

  std::mt19937 rng(7);
  int central_kills = 0, station_kills = 0, attempts = 0;
  json last;
  for (; attempts < 400; ++attempts) {
    produce_more();
    const int roll = static_cast<int>(rng() % 10);
    if (roll == 0 || (central_kills == 0 && attempts == 3)) {
      // The central office dies mid-batch: kill it while a push is running, then restart it.
      BackgroundProcess pusher(kBorderpost, push, dir.string());
      std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 300));
      central->kill_hard();
      ++central_kills;
      pusher.stop();
      central = std::make_unique<BackgroundProcess>(kCentral, std::vector<std::string>{"--config", at("central.toml")}, dir.string());
      proxy.retarget(static_cast<unsigned short>(std::stoi(central->wait_for_line("listening on port "))));
      continue;
    }
    if (roll == 1 || (station_kills == 0 && attempts == 5)) {
      // The station's upload dies mid-way (power cut at the post).
      BackgroundProcess pusher(kBorderpost, push, dir.string());
      std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 300));
      pusher.kill_hard();
      ++station_kills;
      continue;
    }
    const auto r = run_process(kBorderpost, push);
    if (r.exit_code == 0) {
      last = json::parse(r.out);
      if (last["pending"] == 0 && produced == 10000) break;
    }
  }
  MESSAGE("attempts: ", attempts, ", proxy connections: ", proxy.connections(), ", faults: ", proxy.faults(),
          ", central kills: ", central_kills, ", station kills: ", station_kills);
  REQUIRE(attempts < 400);
  CHECK(proxy.faults() > 10);
  CHECK(central_kills >= 1);
  CHECK(station_kills >= 1);

  const auto status = run_process(kBorderpost, {"central", "status", "--config", at("central.toml"), "--json"});
  REQUIRE(status.exit_code == 0);
  const auto s = json::parse(status.out);
  CHECK(s["records"] == 10000);
  CHECK(s["stations"][0]["last_seq"] == 10000);
  CHECK(s["alerts"].empty());
  const auto verify = run_process(kBorderpost, {"central", "verify", "--config", at("central.toml"), "--json"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
  CHECK(json::parse(verify.out)["records"] == 10000);
  const auto station = run_process(kBorderpost, with(with({"sync", "status"}, post), {"--json"}));
  CHECK(json::parse(station.out)["pending"] == 0);
  CHECK(json::parse(station.out)["acknowledged"] == 10000);
  central.reset();
  fs::remove_all(dir);
}
