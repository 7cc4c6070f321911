// The grey image the page and face finders work on, from whatever a reader or camera delivered.
#pragma once

#include <opencv2/core.hpp>

namespace borderpost::bridge {

// One 8-bit channel from a grey, BGR or BGRA image (an 8-bit grey image is returned as it is, its
// pixels shared, not copied); empty for any other number of channels.
cv::Mat gray_of(const cv::Mat& image);

}  // namespace borderpost::bridge
