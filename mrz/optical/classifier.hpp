// The OCR-B glyph classifier: a small multilayer perceptron (OpenCV ml) over normalised glyphs.
#pragma once

#include <string>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

namespace mrz::optical::detail {

class Classifier {
 public:
  explicit Classifier(const std::string& model_path);
  explicit Classifier(cv::Ptr<cv::ml::ANN_MLP> model) : model_(std::move(model)) {}

  // One row of glyph features per cell in, one row of kClassCount probabilities per cell out.
  cv::Mat probabilities(const cv::Mat& features) const;

  // Trains on features (CV_32F rows) and labels (class indices, CV_32S column).
  static cv::Ptr<cv::ml::ANN_MLP> train(const cv::Mat& features, const cv::Mat& labels, int hidden_units,
                                        int iterations);

 private:
  cv::Ptr<cv::ml::ANN_MLP> model_;
};

}  // namespace mrz::optical::detail
