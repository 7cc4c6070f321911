// The simulated reader's framing, and a socket that speaks it. The decoder checks every length
// before it trusts it: a wrong frame ends the connection, it never reads past the bytes it has.
#include "firmware_bridge/simreader_protocol.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

namespace borderpost::bridge::simreader {
namespace {

std::uint32_t get32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

bool known(std::uint8_t type) {
  for (char c : std::string_view("CPIRFprKE"))
    if (type == static_cast<std::uint8_t>(c)) return true;
  return false;
}

Message parse_captured(const unsigned char* p, std::size_t size) {
  Message m{Type::Captured, {}, {}};
  auto need = [&](std::size_t n) {
    if (size < n) throw ProtocolError("a captured frame is shorter than its contents say");
  };
  need(2);
  const std::size_t name = (std::size_t{p[0]} << 8) | p[1];
  p += 2, size -= 2;
  need(name + 1);
  m.text.assign(reinterpret_cast<const char*>(p), name);
  p += name, size -= name;
  const int count = *p++;
  --size;
  for (int i = 0; i < count; ++i) {
    need(5);
    if (p[0] > 2) throw ProtocolError("a captured frame names an unknown light");
    const Light light = p[0] == 0 ? Light::White : p[0] == 1 ? Light::Infrared : Light::Ultraviolet;
    const std::size_t bytes = get32(p + 1);
    p += 5, size -= 5;
    need(bytes);
    m.images.push_back({light, std::vector<unsigned char>(p, p + bytes)});
    p += bytes, size -= bytes;
  }
  if (size != 0) throw ProtocolError("a captured frame has bytes after its images");
  return m;
}

}  // namespace

std::vector<unsigned char> encode(const Message& m) {
  // The whole frame is sized first and filled in place: one allocation for images of megabytes.
  std::size_t body = 1;
  if (m.type == Type::Captured) {
    if (m.images.size() > 255) throw ProtocolError("a capture holds at most 255 images");
    body += 2 + std::min<std::size_t>(m.text.size(), 0xFFFF) + 1;
    for (const auto& image : m.images) body += 5 + image.encoded.size();
  } else {
    body += m.text.size();
  }
  if (body > kMaxFrame) throw ProtocolError("a frame may hold at most 64 MiB");
  std::vector<unsigned char> frame(4 + body);
  unsigned char* out = frame.data();
  auto put = [&](const void* bytes, std::size_t n) {
    if (n) std::memcpy(out, bytes, n);
    out += n;
  };
  auto put8 = [&](std::size_t v) { *out++ = static_cast<unsigned char>(v & 0xFF); };
  auto put32 = [&](std::size_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) put8(v >> shift);
  };
  put32(body);
  put8(static_cast<std::uint8_t>(m.type));
  if (m.type == Type::Captured) {
    const std::size_t name = std::min<std::size_t>(m.text.size(), 0xFFFF);
    put8(name >> 8);
    put8(name);
    put(m.text.data(), name);
    put8(m.images.size());
    for (const auto& image : m.images) {
      put8(image.light == Light::White ? 0 : image.light == Light::Infrared ? 1 : 2);
      put32(image.encoded.size());
      put(image.encoded.data(), image.encoded.size());
    }
  } else {
    put(m.text.data(), m.text.size());
  }
  return frame;
}

void Decoder::feed(const unsigned char* bytes, std::size_t size) { buffer_.insert(buffer_.end(), bytes, bytes + size); }

std::optional<Message> Decoder::next() {
  if (buffer_.size() < 4) return std::nullopt;
  const std::uint32_t length = get32(buffer_.data());
  if (length < 1 || length > kMaxFrame) throw ProtocolError("a frame's length " + std::to_string(length) + " is out of range");
  if (buffer_.size() < 4 + std::size_t{length}) return std::nullopt;
  const unsigned char* body = buffer_.data() + 4;
  if (!known(body[0])) throw ProtocolError("unknown frame type " + std::to_string(body[0]));
  Message m;
  if (static_cast<Type>(body[0]) == Type::Captured) {
    m = parse_captured(body + 1, length - 1);
  } else {
    m.type = static_cast<Type>(body[0]);
    m.text.assign(reinterpret_cast<const char*>(body + 1), length - 1);
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + 4 + length);
  return m;
}

Link::Link(Link&& other) noexcept : fd_(std::exchange(other.fd_, -1)), decoder_(std::move(other.decoder_)) {}

Link& Link::operator=(Link&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    decoder_ = std::move(other.decoder_);
  }
  return *this;
}

Link::~Link() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<Link> Link::connect(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return std::nullopt;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return Link(fd);
}

void Link::send(const Message& message) {
  const auto bytes = encode(message);
  std::size_t done = 0;
  while (done < bytes.size()) {
    // MSG_NOSIGNAL: a reader that has gone is an error to report, not a SIGPIPE to die of.
    const auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ProtocolError(std::string("the simulated reader's connection is gone: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::optional<Message> Link::receive(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (auto m = decoder_.next()) return m;
    // A timeout of 0 still looks once: the caller may know bytes are waiting.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw ProtocolError(std::string("poll: ") + std::strerror(errno));
    if (ready == 0) return std::nullopt;
    unsigned char chunk[65536];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ProtocolError("the simulated reader closed the connection");
    decoder_.feed(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace borderpost::bridge::simreader
