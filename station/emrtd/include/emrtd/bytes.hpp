// Bytes as the chip speaks them, and hex for tests, logs of protocol values and the command line.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace borderpost::station::emrtd {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// What a chip (or a file from one) sent that does not have the shape the standard gives it.
// The chip is untrusted input: every parser throws this, never reads past what it was given.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "0A1b" -> {0x0A, 0x1B}; spaces ignored; throws std::invalid_argument on anything else.
Bytes from_hex(std::string_view hex);
std::string to_hex(ByteView bytes);  // upper case, no spaces

inline Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (const auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace borderpost::station::emrtd
