// The [framing] decoder, without a device: frames across reads, check bytes, noise, overlong
// frames and foreign characters, and resynchronisation after each.
#include <doctest/doctest.h>

#include <string>

#include "firmware_bridge/frame_decoder.hpp"

namespace {

using namespace borderpost::bridge;

const std::string kTd3a = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kTd3b = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

Framing stx_etx_xor() {
  Framing f;
  f.start = {0x02};
  f.end = {0x03};
  f.line_separator = {0x0d};
  f.checksum = Framing::Checksum::Xor;
  f.max_frame = 100;
  return f;
}

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::string stx_frame(const std::string& payload, int bcc = -1) {
  std::uint8_t x = 0x03;
  for (const char c : payload) x = static_cast<std::uint8_t>(x ^ static_cast<std::uint8_t>(c));
  return "\x02" + payload + "\x03" + std::string(1, static_cast<char>(bcc < 0 ? x : bcc));
}

std::vector<DecodedFrame> feed(FrameDecoder& d, const std::string& s) {
  const auto b = bytes(s);
  return d.feed(b);
}

}  // namespace

TEST_CASE("a TD3 MRZ arriving in pieces is one frame of two lines (CR between lines, CR LF at the end)") {
  FrameDecoder d(Framing{});  // the defaults: no start bytes, CR LF end, CR between lines
  const std::string all = kTd3a + "\r" + kTd3b + "\r\n";
  CHECK(feed(d, all.substr(0, 30)).empty());
  CHECK(feed(d, all.substr(30, 40)).empty());
  const auto frames = feed(d, all.substr(70));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].ok());
  CHECK(frames[0].lines == std::vector<std::string>{kTd3a, kTd3b});
}

TEST_CASE("an STX/ETX frame with a right check byte is accepted, a wrong one refused, and the next frame still read") {
  FrameDecoder d(stx_etx_xor());
  const auto payload = kTd3a + "\r" + kTd3b;
  const auto good = stx_frame(payload);
  const auto bad = stx_frame(payload, static_cast<std::uint8_t>(good.back()) ^ 0x01);
  const auto frames = feed(d, bad + good);
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].problem == "a frame failed its check byte (transmission error)");
  CHECK(frames[1].lines.size() == 2);
}

TEST_CASE("noise between frames is reported by count, never quoted, and the frame after it is read") {
  FrameDecoder d(stx_etx_xor());
  const auto frames = feed(d, std::string("\r\n\0ERIKSSON", 11) + stx_frame(kTd3a + "\r" + kTd3b));
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].problem == "8 stray bytes between frames were skipped");  // CR LF NUL are idle, not noise
  CHECK(frames[0].problem.find("ERIKSSON") == std::string::npos);
  CHECK(frames[1].ok());
}

TEST_CASE("an overlong frame is refused once, its tail skipped quietly, and the reader resyncs on the next start") {
  FrameDecoder d(stx_etx_xor());
  auto frames = feed(d, "\x02" + std::string(150, 'A'));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].problem == "a frame longer than 100 bytes was refused");
  frames = feed(d, std::string(80, 'A') + "\x03" + "\x42" + stx_frame(kTd3a));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].lines == std::vector<std::string>{kTd3a});
}

TEST_CASE("an overlong frame without start bytes is skipped up to its end") {
  Framing f;
  f.max_frame = 50;
  FrameDecoder d(f);
  const auto frames = feed(d, std::string(120, 'A') + "\r\n" + kTd3a + "\r\n");
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].problem == "a frame longer than 50 bytes was refused");
  CHECK(frames[1].lines == std::vector<std::string>{kTd3a});
}

TEST_CASE("characters no MRZ has, a frame broken off by the next start, and an empty frame are refused") {
  FrameDecoder d(stx_etx_xor());
  auto frames = feed(d, stx_frame("P<UTOeriksson"));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].problem == "line 1 holds characters no MRZ has");
  frames = feed(d, "\x02P<UTOERIK" + stx_frame(kTd3a));
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].problem == "a frame broke off: the next one started before its end");
  CHECK(frames[1].ok());
  frames = feed(d, stx_frame("\r"));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].problem == "the frame held no text");
}

TEST_CASE("reset drops half a frame, so the bytes after a stall or unplug start clean") {
  FrameDecoder d(Framing{});
  CHECK(feed(d, "P<UTOERIK").empty());
  d.reset();
  const auto frames = feed(d, kTd3b + "\r\n");
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].lines == std::vector<std::string>{kTd3b});
}

TEST_CASE("a check byte that comes in the next USB packet is waited for, after a read frame and a refused one alike") {
  // 64-byte packets cut a frame anywhere, also between ETX and its check byte. The overlong frames'
  // check bytes look like a start (0x02) and an end (0x03): taken for the next frame's bytes, they
  // would be reported as stray bytes or as a broken frame.
  const auto stream = stx_frame(kTd3a) + stx_frame(std::string(150, 'A') + "BC") + stx_frame(std::string(150, 'A')) + stx_frame(kTd3b);
  auto outcome = [](const std::vector<DecodedFrame>& frames) {
    std::vector<std::string> out;
    for (const auto& f : frames) out.push_back(f.ok() ? f.lines.at(0) : f.problem);
    return out;
  };
  const std::vector<std::string> expected{kTd3a, "a frame longer than 100 bytes was refused", "a frame longer than 100 bytes was refused", kTd3b};
  {
    FrameDecoder whole(stx_etx_xor());
    CHECK(outcome(feed(whole, stream)) == expected);
  }
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    CAPTURE(cut);
    FrameDecoder d(stx_etx_xor());
    auto frames = feed(d, stream.substr(0, cut));
    const auto rest = feed(d, stream.substr(cut));
    frames.insert(frames.end(), rest.begin(), rest.end());
    CHECK(outcome(frames) == expected);
  }
  FrameDecoder bytewise(stx_etx_xor());
  std::vector<DecodedFrame> frames;
  for (const char c : stream) {
    const auto got = feed(bytewise, std::string(1, c));
    frames.insert(frames.end(), got.begin(), got.end());
  }
  CHECK(outcome(frames) == expected);
}
