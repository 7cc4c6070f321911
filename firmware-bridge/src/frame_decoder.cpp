// The [framing] state machine: hunt for the start bytes, collect up to the end bytes, check the
// check byte, split into lines, and only accept characters an MRZ can hold.
#include "firmware_bridge/frame_decoder.hpp"

#include <algorithm>

namespace borderpost::bridge {
namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::size_t find(const Bytes& haystack, const Bytes& needle, std::size_t from = 0) {
  if (needle.empty() || haystack.size() < needle.size()) return npos;
  const auto it = std::search(haystack.begin() + static_cast<std::ptrdiff_t>(std::min(from, haystack.size())), haystack.end(),
                              needle.begin(), needle.end());
  return it == haystack.end() ? npos : static_cast<std::size_t>(it - haystack.begin());
}

// Bytes a reader sends while idle or after a frame (NUL padding, line ends); not worth a complaint.
bool idle(std::uint8_t b) { return b == 0 || b == '\r' || b == '\n' || b == ' ' || b == '\t'; }

bool mrz_character(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }

}  // namespace

void FrameDecoder::reset() {
  buffer_.clear();
  state_ = State::Hunting;
  noise_ = 0;
}

void FrameDecoder::refuse(std::vector<DecodedFrame>& out, std::string why) { out.push_back({{}, std::move(why)}); }

DecodedFrame FrameDecoder::lines_of(std::span<const std::uint8_t> payload) const {
  DecodedFrame frame;
  const Bytes bytes(payload.begin(), payload.end());
  const auto& sep = framing_.line_separator;
  std::size_t at = 0;
  while (at <= bytes.size()) {
    auto next = find(bytes, sep, at);
    if (next == npos) next = bytes.size();
    std::string line(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(next));
    // Some readers end each line with CR LF although the profile says CR; a stray LF is not data.
    std::erase_if(line, [](char c) { return c == '\n'; });
    if (!line.empty()) {
      if (!std::all_of(line.begin(), line.end(), mrz_character))
        return {{}, "line " + std::to_string(frame.lines.size() + 1) + " holds characters no MRZ has"};
      frame.lines.push_back(std::move(line));
    }
    at = next + sep.size();
  }
  if (frame.lines.empty()) frame.problem = "the frame held no text";
  return frame;
}

std::vector<DecodedFrame> FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
  std::vector<DecodedFrame> out;
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  const auto& start = framing_.start;
  const auto& end = framing_.end;
  const auto max = static_cast<std::size_t>(framing_.max_frame);
  const std::size_t check_bytes = framing_.checksum == Framing::Checksum::Xor ? 1 : 0;
  for (;;) {
    if (state_ == State::Hunting) {
      if (start.empty()) {
        // Without start bytes a frame begins at the first byte that is not idle.
        const auto first = std::find_if_not(buffer_.begin(), buffer_.end(), idle);
        buffer_.erase(buffer_.begin(), first);
        if (buffer_.empty()) break;
        state_ = State::InFrame;
        continue;
      }
      const auto at = find(buffer_, start);
      const auto skipped = at == npos ? buffer_.size() - std::min(buffer_.size(), start.size() - 1) : at;
      noise_ += static_cast<std::size_t>(std::count_if(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(skipped),
                                                       [](std::uint8_t b) { return !idle(b); }));
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(skipped));
      if (at == npos) break;
      if (noise_ > 0) refuse(out, std::to_string(noise_) + " stray bytes between frames were skipped");
      noise_ = 0;
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start.size()));
      state_ = State::InFrame;
      continue;
    }
    if (state_ == State::SkippingRest) {
      // The rest of a refused frame: drop it up to its end (or the next start), quietly: it was
      // reported once.
      const auto at = find(buffer_, end);
      const auto next = start.empty() ? npos : find(buffer_, start);
      if (next != npos && (at == npos || next < at)) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(next));
        state_ = State::Hunting;
        continue;
      }
      if (at == npos) {
        const auto keep = std::max(end.size(), start.size()) - 1;  // a sequence may straddle two reads
        buffer_.erase(buffer_.begin(), buffer_.end() - static_cast<std::ptrdiff_t>(std::min(buffer_.size(), keep)));
        break;
      }
      // A frame ends with its check byte, which can come in the next read; taken for the first
      // byte after the frame, it would be stray noise or, when it equals the start, a new frame.
      if (buffer_.size() < at + end.size() + check_bytes) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      }
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at + end.size() + check_bytes));
      state_ = State::Hunting;
      continue;
    }
    // InFrame: the buffer starts with the payload.
    const auto at = find(buffer_, end);
    const auto restart = start.empty() ? npos : find(buffer_, start);
    if (restart != npos && (at == npos || restart < at)) {
      refuse(out, "a frame broke off: the next one started before its end");
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(restart));
      state_ = State::Hunting;
      continue;
    }
    if ((at == npos && buffer_.size() > max + end.size()) || (at != npos && at > max)) {
      refuse(out, "a frame longer than " + std::to_string(max) + " bytes was refused");
      if (at != npos) {
        // Skipping the rest takes the end and its check byte, which may not be here yet.
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at));
      } else {
        // Keep the tail: it may hold the start of the next frame or the first bytes of the end.
        buffer_.erase(buffer_.begin(), buffer_.end() - static_cast<std::ptrdiff_t>(std::max(end.size(), start.size()) - 1));
      }
      state_ = State::SkippingRest;
      continue;
    }
    if (at == npos || buffer_.size() < at + end.size() + check_bytes) break;  // wait for the rest
    if (check_bytes) {
      std::uint8_t x = 0;
      for (std::size_t i = 0; i < at + end.size(); ++i) x = static_cast<std::uint8_t>(x ^ buffer_[i]);
      if (x != buffer_[at + end.size()]) {
        refuse(out, "a frame failed its check byte (transmission error)");
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at + end.size() + 1));
        state_ = State::Hunting;
        continue;
      }
    }
    out.push_back(lines_of(std::span(buffer_.data(), at)));
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at + end.size() + check_bytes));
    state_ = State::Hunting;
  }
  return out;
}

}  // namespace borderpost::bridge
