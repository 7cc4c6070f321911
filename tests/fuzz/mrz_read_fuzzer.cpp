// libFuzzer target: the optical reader's entry point for encoded images (what `borderpost mrz
// read` and the station feed it). Malformed files must give Unusable or NotFound, never a crash or
// an unbounded allocation (run with -rss_limit_mb).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mrz_optical/read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mrz::optical::Reader reader;
  const std::vector<unsigned char> bytes(data, data + size);
  const auto result = reader.read_encoded(bytes);
  if (result.status == mrz::optical::ReadStatus::Unusable && result.message.empty()) __builtin_trap();
  return 0;
}
