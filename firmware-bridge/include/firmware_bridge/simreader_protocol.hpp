// The wire protocol of borderpost-simreader, the simulated page reader run as a process of its
// own so tests can plug and unplug it like a device. Over a Unix stream socket, both ways:
//
//   frame   := length:u32 (big-endian, bytes after it, 1 .. 64 MiB) type:u8 body
//   reader -> every client (events):
//     'C' connected   body: the reader's model (UTF-8), sent to each client as it connects
//     'P' placed      body: the sample's name
//     'I' captured    body: name_length:u16 name count:u8 { light:u8 (0 white, 1 ir, 2 uv) size:u32 bytes }*
//     'R' removed     body: empty
//     'F' failed      body: why (UTF-8)
//   client -> reader (commands), each answered to that client alone by 'K' (done) or 'E' (why not):
//     'p' place       body: the sample's name
//     'r' remove      body: empty
//
// Integers are big-endian. A frame that breaks these rules ends the connection.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_bridge/page_reader.hpp"

namespace borderpost::bridge::simreader {

struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Type : std::uint8_t {
  Connected = 'C', Placed = 'P', Captured = 'I', Removed = 'R', Failed = 'F',
  Place = 'p', Remove = 'r', Ok = 'K', Error = 'E',
};

struct Message {
  Type type = Type::Ok;
  std::string text;               // model, sample name or reason
  std::vector<PageImage> images;  // Captured only
};

inline constexpr std::uint32_t kMaxFrame = 64u << 20;

std::vector<unsigned char> encode(const Message& message);

// Frames out of a byte stream that arrives in pieces.
class Decoder {
 public:
  void feed(const unsigned char* bytes, std::size_t size);
  // The next whole message, or nullopt until more bytes come. Throws ProtocolError.
  std::optional<Message> next();

 private:
  std::vector<unsigned char> buffer_;
};

// One connected Unix socket speaking the protocol (the driver's, a test's or the simulator's end).
class Link {
 public:
  explicit Link(int fd) : fd_(fd) {}
  Link(Link&& other) noexcept;
  Link& operator=(Link&& other) noexcept;
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link();

  // nullopt when nothing listens at `path` (yet).
  static std::optional<Link> connect(const std::string& path);
  void send(const Message& message);  // throws ProtocolError when the other end has gone
  // Waits up to `timeout_ms` for a message: nullopt on timeout. Throws ProtocolError when the
  // other end closed the connection or sent a malformed frame.
  std::optional<Message> receive(int timeout_ms);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  Decoder decoder_;
};

}  // namespace borderpost::bridge::simreader
