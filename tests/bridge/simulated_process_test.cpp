// The simulated page reader as a process: its framed protocol, and the simulated-process driver
// against the real borderpost-simreader, which a test plugs (starts) and unplugs (kills).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "process.hpp"
#include "firmware_bridge/process_page_reader.hpp"
#include "firmware_bridge/simreader_protocol.hpp"
#include "recorder.hpp"
#include "temp_dir.hpp"
#include "test_profile.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost::bridge;
using namespace borderpost::test;
using Kind = DeviceEvent::Kind;
using simreader::Message;
using simreader::Type;

std::vector<unsigned char> bytes(const std::string& s) { return {s.begin(), s.end()}; }

struct Simulator {
  TempDir dir{"simreader"};
  std::string socket = dir / "reader.sock";
  std::unique_ptr<BackgroundProcess> process;  // stopped before its folder goes
  void plug(int delay_ms) {
    process.reset();  // one simulator at a time: the one running is stopped (unplugged) first
    process = std::make_unique<BackgroundProcess>(
        BORDERPOST_SIMREADER_BIN,
        std::vector<std::string>{"--socket", socket, "--samples", BORDERPOST_SOURCE_DIR "/config/samples", "--delay-ms", std::to_string(delay_ms)},
        dir.path.string());
    process->wait_for_line("simreader: listening on");
  }
  // A test's own connection, for commands.
  Message command(const Message& m) {
    auto link = simreader::Link::connect(socket);
    REQUIRE(link);
    auto hello = link->receive(5000);
    REQUIRE(hello);
    CHECK(hello->type == Type::Connected);
    link->send(m);
    // Events reach every connection, this one too: the answer is the first 'K' or 'E'.
    while (true) {
      auto answer = link->receive(5000);
      REQUIRE(answer);
      if (answer->type == Type::Ok || answer->type == Type::Error) return *answer;
    }
  }
};

// Runs a second simulator to its end: `timeout` stops one that wrongly goes on serving.
ProcessResult run_simulator(const std::string& socket) {
  return run_process(
      "/usr/bin/timeout", {"10", BORDERPOST_SIMREADER_BIN, "--socket", socket, "--samples", BORDERPOST_SOURCE_DIR "/config/samples"});
}

DeviceProfile process_profile(const std::string& socket) {
  auto p = test_profile("simulated-page-reader-process", "test", DeviceClass::PageReader, Driver::SimulatedProcess,
                        "test-simulated-process.toml");
  p.lights = {Light::White, Light::Infrared, Light::Ultraviolet};
  p.socket = socket;
  p.reconnect_ms = 100;
  return p;
}

}  // namespace

TEST_CASE("protocol: a capture survives the trip in pieces, byte for byte and light by light") {
  const Message sent{Type::Captured, "01-passport-peru", {{Light::White, bytes("white-bytes")}, {Light::Ultraviolet, bytes("uv")}}};
  const auto frame = simreader::encode(sent);
  simreader::Decoder decoder;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    CHECK_FALSE(decoder.next());
    decoder.feed(&frame[i], 1);
  }
  const auto got = decoder.next();
  REQUIRE(got);
  CHECK(got->type == Type::Captured);
  CHECK(got->text == "01-passport-peru");
  REQUIRE(got->images.size() == 2);
  CHECK(got->images[1].light == Light::Ultraviolet);
  CHECK(got->images[0].encoded == bytes("white-bytes"));
  CHECK_FALSE(decoder.next());
}

TEST_CASE("protocol: malformed frames are refused, never read past") {
  auto refuse = [](std::vector<unsigned char> frame) {
    simreader::Decoder decoder;
    decoder.feed(frame.data(), frame.size());
    CHECK_THROWS_AS(decoder.next(), simreader::ProtocolError);
  };
  refuse({0, 0, 0, 0});                               // empty frame
  refuse({0xFF, 0xFF, 0xFF, 0xFF, 'C'});              // beyond 64 MiB
  refuse({0, 0, 0, 1, 'Z'});                          // unknown type
  refuse({0, 0, 0, 4, 'I', 0, 9, 'x'});               // a name longer than the frame
  refuse({0, 0, 0, 10, 'I', 0, 0, 1, 7, 0, 0, 0, 0, 0});     // unknown light
  refuse({0, 0, 0, 10, 'I', 0, 0, 1, 0, 0, 0, 0, 200, 0});   // an image longer than the frame
  refuse({0, 0, 0, 5, 'I', 0, 0, 0, 42});             // bytes after the images
}

TEST_CASE("the simulated-process driver reads placements and captures from borderpost-simreader, and survives it being killed mid-capture") {
  Simulator simulator;
  ProcessPageReader reader(process_profile(simulator.socket));
  EventRecorder events;
  reader.start(events.listener());
  REQUIRE(events.wait_for(Kind::Disconnected));  // nothing listening yet: reported once, retried
  CHECK_FALSE(reader.connected());

  simulator.plug(50);
  REQUIRE(events.wait_for(Kind::Connected));
  CHECK(reader.connected());
  CHECK(simulator.command({Type::Place, "01-passport-peru", {}}).type == Type::Ok);
  REQUIRE(events.wait_for(Kind::Captured));
  {
    const auto all = events.snapshot();
    const auto& capture = std::find_if(all.begin(), all.end(), [](const DeviceEvent& e) { return e.kind == Kind::Captured; })->capture;
    CHECK(capture.sample == "01-passport-peru");
    CHECK(capture.device == "simulated-page-reader-process");
    REQUIRE(capture.images.size() == 3);
    CHECK(capture.images[0].encoded.size() > 1000);
  }
  const auto refused = simulator.command({Type::Place, "99-no-such-sample", {}});
  CHECK(refused.type == Type::Error);
  CHECK(refused.text.find("no sample document named") != std::string::npos);
  CHECK(simulator.command({Type::Remove, {}, {}}).type == Type::Ok);
  REQUIRE(events.wait_for(Kind::DocumentRemoved));

  // Unplugged during a capture: the capture is abandoned, the station told.
  simulator.plug(3000);
  REQUIRE(events.wait_for(Kind::Connected, 2));
  CHECK(simulator.command({Type::Place, "02-id-card-argentina", {}}).type == Type::Ok);
  REQUIRE(events.wait_for(Kind::DocumentPlaced, 2));
  simulator.process->kill_hard();
  REQUIRE(events.wait_for(Kind::Disconnected, 3));
  CHECK_FALSE(reader.connected());
  const auto all = events.snapshot();
  CHECK(all.back().kind == Kind::Disconnected);
  CHECK(all.back().message.find("capture in progress was abandoned") != std::string::npos);
  CHECK(events.count(Kind::Captured) == 1);

  // Plugged back in: connected again, and it reads documents as before.
  simulator.plug(0);
  REQUIRE(events.wait_for(Kind::Connected, 3));
  CHECK(simulator.command({Type::Place, "03-id-card-td2-bolivia", {}}).type == Type::Ok);
  CHECK(events.wait_for(Kind::Captured, 2));
  reader.stop();
}

TEST_CASE("a second simulator on the socket of a live one refuses to start, and the first one keeps serving") {
  Simulator simulator;
  simulator.plug(0);
  const auto second = run_simulator(simulator.socket);
  CHECK(second.exit_code == 1);
  CHECK(second.err == "borderpost-simreader: another simulated reader is already listening on " + simulator.socket +
                          "; stop it first or choose another --socket\n");
  CHECK(second.out.find("simreader: listening") == std::string::npos);
  CHECK(simulator.command({Type::Place, "01-passport-peru", {}}).type == Type::Ok);  // its socket is still there
}

TEST_CASE("simulators started at once on a stale socket file: exactly one listens, the others refuse") {
  Simulator simulator;
  simulator.plug(0);
  simulator.process->kill_hard();  // killed: its socket file stays behind, with nobody listening
  simulator.process.reset();
  REQUIRE(fs::exists(simulator.socket));
  std::vector<std::unique_ptr<BackgroundProcess>> starting;
  for (int i = 0; i < 4; ++i)
    starting.push_back(std::make_unique<BackgroundProcess>(
        BORDERPOST_SIMREADER_BIN, std::vector<std::string>{"--socket", simulator.socket, "--samples", BORDERPOST_SOURCE_DIR "/config/samples"},
        simulator.dir.path.string()));
  int listening = 0, refused = 0;
  for (auto& p : starting) {
    // A refused one has exited with its reason; a listening one is still serving.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && p->output().empty() && p->errors().empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (p->output().find("simreader: listening on") != std::string::npos) ++listening;
    if (p->errors().find("another simulated reader is already listening") != std::string::npos) ++refused;
  }
  CHECK(listening == 1);
  CHECK(refused == 3);
  CHECK(simulator.command({Type::Place, "01-passport-peru", {}}).type == Type::Ok);  // the one listening owns the socket
}

TEST_CASE("a simulator that cannot listen says why and exits 1, leaving a file that is not a socket alone") {
  Simulator simulator;
  std::ofstream(simulator.socket) << "not a socket";
  const auto on_file = run_simulator(simulator.socket);
  CHECK(on_file.exit_code == 1);
  CHECK(on_file.err == "borderpost-simreader: " + simulator.socket + " exists and is not a socket; it is left alone\n");
  CHECK(fs::file_size(simulator.socket) == 12);
  const auto nowhere = (simulator.dir.path / "no-such-folder" / "reader.sock").string();
  const auto unreachable = run_simulator(nowhere);
  CHECK(unreachable.exit_code == 1);
  CHECK(unreachable.err == "borderpost-simreader: cannot listen on " + nowhere + ": No such file or directory\n");
  CHECK(unreachable.out.empty());
}
