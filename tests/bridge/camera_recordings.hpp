// Recorded camera sessions for the tests: numbered PNG frames that cv::VideoCapture plays back as
// if a camera delivered them, rendered here with known geometry so the tests know the truth.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "firmware_bridge/page_reader.hpp"

namespace borderpost::test {

// A document camera session: an empty desk, a page laid down at an angle under perspective, one
// frame per light after `settle` frames, the page lying there a little, then taken away.
struct DocumentSession {
  cv::Size frame{640, 480};
  int empty_before = 3;
  int still = 3;     // frames the page lies still before the capture (the profile's still_frames)
  int settle = 1;    // frames after each lamp switch (the profile's settle_frames)
  std::vector<bridge::Light> lights{bridge::Light::White, bridge::Light::Infrared, bridge::Light::Ultraviolet};
  int present_after = 2;
  int empty_after = 3;    // at least `still` for the removal to be seen
  bool end_mid_capture = false;  // the recording stops after the first light's frame
  int corrupt_frame = -1;        // this frame's file holds garbage instead of a PNG
  int dpi = 100;                 // of the rendered page (125 x 88 mm)
};

struct Recording {
  std::string source;                    // what to give VideoCapture: "DIR/frame_%03d.png"
  int frames = 0;
  std::array<cv::Point2f, 4> corners{};  // the page's corners in the frame: top-left, top-right,
                                         // bottom-right, bottom-left of the upright page
  cv::Mat page_white;                    // the page as printed (BGR), before it was photographed
};

Recording record_document_session(const std::filesystem::path& dir, const DocumentSession& session);

// A traveller camera: `frames` frames of a person in front of a plain wall (the ICAO Utopia
// specimen portrait), or of the empty wall.
Recording record_traveller(const std::filesystem::path& dir, bool with_face, int frames = 4);

// Where the specimen face photo is (its licence: tests/data/camera/README.md).
std::filesystem::path specimen_face();

}  // namespace borderpost::test
