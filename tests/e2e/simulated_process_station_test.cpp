// The station with its page reader in another process (borderpost-simreader, driver
// simulated-process): documents arrive over the socket; the process killed mid-capture interrupts
// the inspection without harming the station, and its return is the reader plugged back in.
#include <doctest/doctest.h>

#include <thread>

#include "firmware_bridge/simreader_protocol.hpp"
#include "station_support.hpp"

using namespace borderpost::test;
using namespace borderpost::bridge;
using nlohmann::json;

namespace {

struct SimulatorProcess {
  fs::path dir;
  std::string socket;
  std::unique_ptr<BackgroundProcess> process;
  void plug(int delay_ms) {
    process.reset();  // one simulator at a time: the one running is stopped (unplugged) first
    process = std::make_unique<BackgroundProcess>(
        BORDERPOST_SIMREADER_BIN,
        std::vector<std::string>{"--socket", socket, "--samples", (dir / "samples").string(), "--delay-ms", std::to_string(delay_ms)},
        dir.string());
    process->wait_for_line("simreader: listening on");
  }
  void place(const std::string& sample) {
    auto link = simreader::Link::connect(socket);
    REQUIRE(link);
    link->send({simreader::Type::Place, sample, {}});
    while (true) {
      auto answer = link->receive(5000);
      REQUIRE(answer);
      if (answer->type == simreader::Type::Ok) return;
      REQUIRE(answer->type != simreader::Type::Error);
    }
  }
};

}  // namespace

TEST_CASE("a page reader in another process: read through its socket, killed mid-capture, plugged back in") {
  StationPost post("simreader");
  post.add_passport_sample();
  SimulatorProcess simulator{post.dir, (post.dir / "reader.sock").string(), nullptr};
  const auto profile = post.dir / "reader.toml";
  std::ofstream(profile) << "id = \"simulated-page-reader-process\"\nmodel = \"Simulated reader process\"\nclass = \"page-reader\"\n"
                            "driver = \"simulated-process\"\nlights = [\"white\", \"ir\", \"uv\"]\nsocket = \"reader.sock\"\nreconnect_ms = 100\n";
  post.page_reader = profile.string();
  simulator.plug(0);
  post.start();
  auto api = post.client();
  REQUIRE(reader_connected(api, true));
  CHECK(api.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 404);  // not this station's to drive
  simulator.place("01-passport");
  const auto read = api.wait_for_inspection(0);
  REQUIRE(read["state"] == "inspected");
  CHECK(read["document"]["document_number"] == "0722392");

  simulator.process.reset();  // unplugged between documents: the station notices
  REQUIRE(reader_connected(api, false));
  simulator.plug(5000);  // back, with a slow capture to be cut short
  REQUIRE(reader_connected(api, true));
  simulator.place("01-passport");
  for (int i = 0; i < 100 && api.get("/api/inspection").body["state"] != "placed"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(api.get("/api/inspection").body["state"] == "placed");
  simulator.process->kill_hard();
  REQUIRE(reader_connected(api, false));
  const auto interrupted = api.get("/api/inspection").body;
  CHECK(interrupted["state"] == "interrupted");
  CHECK(interrupted["message"].get<std::string>().find("disconnected") != std::string::npos);

  simulator.plug(0);
  REQUIRE(reader_connected(api, true));
  simulator.place("01-passport");
  CHECK(api.wait_for_inspection(interrupted["id"].get<std::uint64_t>())["state"] == "inspected");
  CHECK(api.post("/api/inspection/decision", {{"decision", "refer"}}).status == 201);
}
