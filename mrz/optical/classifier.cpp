// MLP training and inference; outputs become probabilities through a softmax.
#include "classifier.hpp"

#include <cmath>
#include <stdexcept>

#include "pipeline.hpp"

namespace mrz::optical::detail {
namespace {
constexpr float kSoftmaxGain = 4.0F;  // sharpens the symmetric-sigmoid outputs (about -1.7..1.7)
}

Classifier::Classifier(const std::string& model_path) {
  try {
    model_ = cv::ml::ANN_MLP::load(model_path);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("cannot load the OCR-B model " + model_path + ": " + e.what());
  }
  if (model_.empty() || !model_->isTrained()) throw std::runtime_error("cannot load the OCR-B model " + model_path);
}

cv::Mat Classifier::probabilities(const cv::Mat& features) const {
  cv::Mat outputs;
  model_->predict(features, outputs);
  cv::Mat probabilities(outputs.rows, outputs.cols, CV_32F);
  for (int r = 0; r < outputs.rows; ++r) {
    const float* in = outputs.ptr<float>(r);
    float* out = probabilities.ptr<float>(r);
    float peak = in[0];
    for (int c = 1; c < outputs.cols; ++c) peak = std::max(peak, in[c]);
    float sum = 0;
    for (int c = 0; c < outputs.cols; ++c) {
      out[c] = std::exp(kSoftmaxGain * (in[c] - peak));
      sum += out[c];
    }
    for (int c = 0; c < outputs.cols; ++c) out[c] /= sum;
  }
  return probabilities;
}

cv::Ptr<cv::ml::ANN_MLP> Classifier::train(const cv::Mat& features, const cv::Mat& labels, int hidden_units,
                                           int iterations) {
  cv::Mat targets(features.rows, kClassCount, CV_32F, cv::Scalar(-1.0F));
  for (int r = 0; r < labels.rows; ++r) targets.at<float>(r, labels.at<int>(r)) = 1.0F;
  auto model = cv::ml::ANN_MLP::create();
  model->setLayerSizes(std::vector<int>{kFeatureLength, hidden_units, kClassCount});
  model->setActivationFunction(cv::ml::ANN_MLP::SIGMOID_SYM);
  model->setTrainMethod(cv::ml::ANN_MLP::RPROP);
  model->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER | cv::TermCriteria::EPS, iterations, 1e-5));
  model->train(cv::ml::TrainData::create(features, cv::ml::ROW_SAMPLE, targets));
  return model;
}

}  // namespace mrz::optical::detail
