// The OCR-B glyph classifier. A small convolutional network decides which character a cell holds;
// nearest prototypes in a PCA space of the glyph raster say how typical the glyph is (about 1 for a
// real character, far more for a cell cut through two characters, a smudge or other print), which
// the reader uses to rank layouts and to tell an MRZ from other text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace mrz::optical::detail {

// Typicality: k-means prototypes per class in a PCA space of the glyph features.
struct Prototypes {
  cv::Mat mean;          // 1 x kFeatureLength
  cv::Mat projection;    // components x kFeatureLength (PCA eigenvectors)
  cv::Mat centres;       // prototypes x components
  std::vector<int> labels;  // class index per prototype
  float within = 1;      // median squared distance of a training glyph to its class's prototype

  // Squared distance to the nearest prototype in units of `within`, per row of features.
  std::vector<float> strangeness(const cv::Mat& features) const;
};

class Classifier {
 public:
  // Loads a model written by train_ocrb. Throws std::runtime_error with the reason if it cannot.
  explicit Classifier(const std::string& model_path);
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;

  // One row of glyph features per cell in (CV_32F, kFeatureLength), one row of kClassCount
  // probabilities per cell out. Thread-safe.
  cv::Mat probabilities(const cv::Mat& features) const;
  // Per cell, how far its glyph is from every prototype (Prototypes::strangeness). Thread-safe.
  std::vector<float> strangeness(const cv::Mat& features) const;

  struct Model;

 private:
  std::unique_ptr<Model> model_;
};

}  // namespace mrz::optical::detail
