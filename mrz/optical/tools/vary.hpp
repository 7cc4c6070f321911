// Variation the training renderer does not have, applied to its pages before the reader's pipeline
// cuts the glyphs: other printers (character width, stroke weight, dot matrix) and other captures
// (perspective, low resolution, blur, uneven light, low contrast, noise, JPEG).
#pragma once

#include <array>
#include <random>

#include <opencv2/core.hpp>

namespace mrz::optical::training {

// Changes an 8-bit gray page and moves the MRZ quadrilateral with it. `strength` 0..1.
void vary_page(cv::Mat& gray, std::array<cv::Point2f, 4>& mrz_quad, double strength, std::mt19937& rng);

// Blur, noise and JPEG only: the crop keeps its geometry and its paper and ink levels.
void vary_capture(cv::Mat& gray, std::mt19937& rng);

}  // namespace mrz::optical::training
