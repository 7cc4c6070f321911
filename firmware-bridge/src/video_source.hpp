// Opening a camera the way a profile names it (device node, index, or recorded frames) and
// reading frames from it without letting OpenCV's exceptions or odd frame formats escape.
#pragma once

#include <string>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge::video {

// Opens `camera.source`; false (and `cap` closed) when it cannot be opened.
bool open(cv::VideoCapture& cap, const CameraSettings& camera);

enum class Frame { Good, Bad, Gone };
// Reads one frame as 8-bit BGR. Bad: the device answered with something that is not a picture
// (skip it); Gone: no frame came (unplugged, or the end of a recording).
Frame read(cv::VideoCapture& cap, cv::Mat& bgr);

}  // namespace borderpost::bridge::video
