// Measures a document's optical security features from its page images under white, infrared and
// ultraviolet light: the MRZ's infrared contrast and reading, the paper's ultraviolet brightness,
// the face in the portrait zone, the visual zone's text (Tesseract) against the MRZ, and the MRZ's
// print geometry. The numbers go to the security.* checks, which judge them.
#pragma once

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "mrz_optical/read.hpp"
#include "security/facts.hpp"

namespace borderpost::station::security {

// One document's page images, captured in one placement: a point of the page is at the same place
// under every light (an image of another size is taken as the same page scaled).
struct PageImages {
  cv::Mat white;        // 8-bit BGR or gray
  cv::Mat infrared;     // empty: not captured
  cv::Mat ultraviolet;  // empty: not captured
  bool infrared_unusable = false;    // captured but could not be decoded
  bool ultraviolet_unusable = false;
  bool infrared_lamp_failed = false;  // not captured because the reader's lamp would not switch on
  bool ultraviolet_lamp_failed = false;
  double dpi = 300;  // the reader's resolution: the MRZ's print is measured in millimetres with it
};

// Where the examiner finds what it needs; empty = Debian's locations.
struct ExaminerOptions {
  std::string tessdata;    // Tesseract's data folder ("" = its default)
  std::string face_model;  // OpenCV Haar cascade ("" = opencv-data's frontal face model)
};

class PageExaminer {
 public:
  // `reader` reads the infrared image's MRZ; it must outlive the examiner.
  explicit PageExaminer(const mrz::optical::Reader& reader, ExaminerOptions options = {});
  ~PageExaminer();

  // `white_read` is the optical reader's result on images.white. Thread-safe: each thread gets its
  // own text recogniser and face detector.
  SecurityFacts examine(const PageImages& images, const mrz::optical::ReadResult& white_read) const;

 private:
  const mrz::optical::Reader& reader_;
  ExaminerOptions options_;
};

}  // namespace borderpost::station::security
