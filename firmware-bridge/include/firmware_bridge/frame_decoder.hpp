// Cuts the byte stream of a text MRZ reader into frames as its profile's [framing] describes, and
// each frame into lines. Pure: bytes in, frames or reasons out; it resynchronises on the next frame
// after any fault, so one bad swipe never costs the next one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

struct DecodedFrame {
  std::vector<std::string> lines;  // filled when `problem` is empty
  std::string problem;             // why the bytes were refused; never quotes them (they may be a traveller's data)
  bool ok() const { return problem.empty(); }
};

class FrameDecoder {
 public:
  explicit FrameDecoder(Framing framing) : framing_(std::move(framing)) {}
  // Everything the new bytes complete, in order; a partial frame waits for more bytes.
  std::vector<DecodedFrame> feed(std::span<const std::uint8_t> bytes);
  // Forgets a partial frame (the endpoint stalled, the device went away).
  void reset();

 private:
  enum class State { Hunting, InFrame, SkippingRest };
  void refuse(std::vector<DecodedFrame>& out, std::string why);
  DecodedFrame lines_of(std::span<const std::uint8_t> payload) const;

  Framing framing_;
  std::vector<std::uint8_t> buffer_;
  State state_ = State::Hunting;
  std::size_t noise_ = 0;  // stray bytes skipped while hunting for a start
};

}  // namespace borderpost::bridge
