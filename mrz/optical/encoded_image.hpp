// What an encoded image file says about itself before any decoder touches it: its format, whether it
// is complete, and the pixel size its header announces. Pure functions over bytes.
//
// Why: OpenCV allocates the whole bitmap from the header's size before decoding, and its own size
// limit (OPENCV_IO_MAX_IMAGE_PIXELS) is read once when the library loads, so a program cannot set it.
// A 60-byte BMP announcing 22528 x 30744 pixels would otherwise cost 2 GB.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace mrz::optical::detail {

enum class ImageFormat { Unsupported, Jpeg, Png, Tiff, Bmp, WebP };

struct PixelSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// Scanners and cameras deliver these five; other decoders OpenCV carries are refused unread.
ImageFormat sniff_format(std::span<const std::uint8_t> bytes);

// The size the header announces, as the decoder would read it; nullopt when the header is missing
// or unreadable (the decoder would fail on it too).
std::optional<PixelSize> announced_size(std::span<const std::uint8_t> bytes);

// Why the file is incomplete, or empty when it looks whole. libjpeg and libpng decode a truncated
// file into a partly grey image without complaint; a reader must not guess from half a page.
std::string truncation(std::span<const std::uint8_t> bytes);

}  // namespace mrz::optical::detail
