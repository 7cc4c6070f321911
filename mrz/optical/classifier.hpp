// The OCR-B glyph classifier: nearest prototypes in a PCA space. Each character class keeps a few
// prototypes (k-means centres of its training glyphs), which covers the looks a class takes
// (blur, ink spread, laser and inkjet printing) and makes a reading cost microseconds per cell.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace mrz::optical::detail {

class Classifier {
 public:
  struct Model {
    cv::Mat mean;         // 1 x kFeatureLength
    cv::Mat projection;   // components x kFeatureLength (PCA eigenvectors)
    cv::Mat prototypes;   // prototypes x components
    cv::Mat labels;       // prototypes x 1, class index (CV_32S)
    float temperature = 1;  // distance scale for the softmax over classes
  };

  explicit Classifier(const std::string& model_path);
  explicit Classifier(Model model) : model_(std::move(model)) { cache_norms(); }

  // One row of glyph features per cell in, one row of kClassCount probabilities per cell out.
  // `strangeness`, when given, receives per cell the distance to the nearest prototype in units of
  // the typical within-class distance: about 1 for a real glyph, far more for anything else.
  cv::Mat probabilities(const cv::Mat& features, std::vector<float>* strangeness = nullptr) const;

  // Learns the model from features (CV_32F rows) and labels (class indices, CV_32S column).
  static Model train(const cv::Mat& features, const cv::Mat& labels, int components, int prototypes_per_class);
  static void save(const Model& model, const std::string& path);

 private:
  void cache_norms();
  Model model_;
  std::vector<float> prototype_norms_;
};

}  // namespace mrz::optical::detail
