#include "encoded_image.hpp"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>

namespace mrz::optical::detail {
namespace {

using Bytes = std::span<const std::uint8_t>;

bool has_at(Bytes b, std::initializer_list<std::uint8_t> magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() && std::equal(magic.begin(), magic.end(), b.begin() + static_cast<long>(at));
}

// Unsigned integers of n bytes at `at`, or nullopt past the end.
std::optional<std::int64_t> big_endian(Bytes b, std::size_t at, int n) {
  if (b.size() < at + static_cast<std::size_t>(n)) return std::nullopt;
  std::int64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}
std::optional<std::int64_t> little_endian(Bytes b, std::size_t at, int n) {
  if (b.size() < at + static_cast<std::size_t>(n)) return std::nullopt;
  std::int64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

std::optional<PixelSize> both(std::optional<std::int64_t> w, std::optional<std::int64_t> h) {
  if (!w || !h) return std::nullopt;
  return PixelSize{*w, *h};
}

std::optional<PixelSize> png_size(Bytes b) {
  if (!has_at(b, {'I', 'H', 'D', 'R'}, 12)) return std::nullopt;  // IHDR must come first
  return both(big_endian(b, 16, 4), big_endian(b, 20, 4));
}

// Walks the marker segments up to the first start-of-frame, which carries the size.
std::optional<PixelSize> jpeg_size(Bytes b) {
  std::size_t at = 2;
  while (at + 1 < b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    while (at + 1 < b.size() && b[at + 1] == 0xFF) ++at;  // fill bytes
    if (at + 1 >= b.size()) return std::nullopt;
    const std::uint8_t marker = b[at + 1];
    at += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length field
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;           // image data before any frame
    const auto length = big_endian(b, at, 2);
    if (!length || *length < 2) return std::nullopt;
    const bool start_of_frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (start_of_frame) return both(big_endian(b, at + 5, 2), big_endian(b, at + 3, 2));
    at += static_cast<std::size_t>(*length);
  }
  return std::nullopt;
}

// The first directory's ImageWidth (256) and ImageLength (257) tags, SHORT or LONG.
std::optional<PixelSize> tiff_size(Bytes b) {
  const bool little = b[0] == 'I';
  auto read = [&](std::size_t at, int n) { return little ? little_endian(b, at, n) : big_endian(b, at, n); };
  const auto directory = read(4, 4);
  if (!directory) return std::nullopt;
  const auto entries = read(static_cast<std::size_t>(*directory), 2);
  if (!entries) return std::nullopt;
  std::optional<std::int64_t> width, height;
  for (std::int64_t i = 0; i < *entries; ++i) {
    const auto entry = static_cast<std::size_t>(*directory + 2 + 12 * i);
    const auto tag = read(entry, 2), type = read(entry + 2, 2);
    if (!tag || !type) return std::nullopt;
    if (*tag != 256 && *tag != 257) continue;
    const auto value = *type == 3 ? read(entry + 8, 2) : *type == 4 ? read(entry + 8, 4) : std::nullopt;
    if (!value) return std::nullopt;
    auto& field = *tag == 256 ? width : height;
    field = std::max(field.value_or(0), *value);  // a repeated tag: assume the larger
  }
  return both(width, height);
}

// As OpenCV reads it: a 12-byte OS/2 header has 16-bit sizes, 36 bytes or more 32-bit signed ones
// (a negative height means top-down rows).
std::optional<PixelSize> bmp_size(Bytes b) {
  const auto header = little_endian(b, 14, 4);
  if (!header) return std::nullopt;
  if (*header == 12) return both(little_endian(b, 18, 2), little_endian(b, 20, 2));
  if (*header < 36) return std::nullopt;
  auto signed32 = [&](std::size_t at) -> std::optional<std::int64_t> {
    const auto v = little_endian(b, at, 4);
    if (!v) return std::nullopt;
    return std::llabs(static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(*v))));
  };
  return both(signed32(18), signed32(22));
}

// The first chunk: an extended header's canvas, or the lossy / lossless bitstream's own size.
std::optional<PixelSize> webp_size(Bytes b) {
  if (has_at(b, {'V', 'P', '8', 'X'}, 12)) {
    const auto w = little_endian(b, 24, 3), h = little_endian(b, 27, 3);
    if (!w || !h) return std::nullopt;
    return PixelSize{*w + 1, *h + 1};
  }
  if (has_at(b, {'V', 'P', '8', ' '}, 12)) {
    if (!has_at(b, {0x9D, 0x01, 0x2A}, 23)) return std::nullopt;
    const auto w = little_endian(b, 26, 2), h = little_endian(b, 28, 2);
    if (!w || !h) return std::nullopt;
    return PixelSize{*w & 0x3FFF, *h & 0x3FFF};
  }
  if (has_at(b, {'V', 'P', '8', 'L'}, 12)) {
    if (!has_at(b, {0x2F}, 20)) return std::nullopt;
    const auto bits = little_endian(b, 21, 4);
    if (!bits) return std::nullopt;
    return PixelSize{(*bits & 0x3FFF) + 1, ((*bits >> 14) & 0x3FFF) + 1};
  }
  return std::nullopt;
}

}  // namespace

ImageFormat sniff_format(Bytes b) {
  // OpenCV picks the first decoder whose signature matches, and DICOM's ("DICM" at byte 128) is
  // tried before PNG's: such a file would reach GDCM whatever it starts with.
  if (has_at(b, {'D', 'I', 'C', 'M'}, 128)) return ImageFormat::Unsupported;
  if (has_at(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::Jpeg;
  if (has_at(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::Png;
  if (has_at(b, {'I', 'I', 0x2A, 0x00}) || has_at(b, {'M', 'M', 0x00, 0x2A})) return ImageFormat::Tiff;
  if (has_at(b, {'B', 'M'})) return ImageFormat::Bmp;
  if (has_at(b, {'R', 'I', 'F', 'F'}) && has_at(b, {'W', 'E', 'B', 'P'}, 8)) return ImageFormat::WebP;
  return ImageFormat::Unsupported;
}

std::optional<PixelSize> announced_size(Bytes b) {
  switch (sniff_format(b)) {
    case ImageFormat::Jpeg: return jpeg_size(b);
    case ImageFormat::Png: return png_size(b);
    case ImageFormat::Tiff: return tiff_size(b);
    case ImageFormat::Bmp: return bmp_size(b);
    case ImageFormat::WebP: return webp_size(b);
    case ImageFormat::Unsupported: break;
  }
  return std::nullopt;
}

std::string truncation(Bytes b) {
  const auto format = sniff_format(b);
  if (format == ImageFormat::Jpeg) {
    std::size_t end = b.size();
    while (end > 2 && b[end - 1] == 0x00) --end;  // some writers pad
    if (end < 2 || b[end - 2] != 0xFF || b[end - 1] != 0xD9) return "the JPEG data is truncated (no end marker)";
  }
  if (format == ImageFormat::Png) {
    static constexpr std::uint8_t kEnd[] = {'I', 'E', 'N', 'D'};
    const auto tail = b.subspan(b.size() > 64 ? b.size() - 64 : 0);
    if (std::search(tail.begin(), tail.end(), std::begin(kEnd), std::end(kEnd)) == tail.end())
      return "the PNG data is truncated (no IEND chunk)";
  }
  return {};
}

}  // namespace mrz::optical::detail
