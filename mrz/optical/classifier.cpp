// PCA + nearest-prototype classification, with class probabilities from a softmax over distances.
#include "classifier.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "pipeline.hpp"

namespace mrz::optical::detail {

Classifier::Classifier(const std::string& model_path) {
  cv::FileStorage file;
  try {
    file.open(model_path, cv::FileStorage::READ);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("cannot load the OCR-B model " + model_path + ": " + e.what());
  }
  if (!file.isOpened()) throw std::runtime_error("cannot load the OCR-B model " + model_path);
  file["mean"] >> model_.mean;
  file["projection"] >> model_.projection;
  file["prototypes"] >> model_.prototypes;
  file["labels"] >> model_.labels;
  file["temperature"] >> model_.temperature;
  cache_norms();
  if (model_.mean.cols != kFeatureLength || model_.projection.cols != kFeatureLength ||
      model_.prototypes.cols != model_.projection.rows || model_.labels.rows != model_.prototypes.rows ||
      model_.temperature <= 0) {
    throw std::runtime_error("the OCR-B model " + model_path + " is malformed");
  }
}

void Classifier::cache_norms() {
  prototype_norms_.clear();
  for (int p = 0; p < model_.prototypes.rows; ++p) {
    prototype_norms_.push_back(static_cast<float>(model_.prototypes.row(p).dot(model_.prototypes.row(p))));
  }
}

void Classifier::save(const Model& model, const std::string& path) {
  cv::FileStorage file(path, cv::FileStorage::WRITE);
  if (!file.isOpened()) throw std::runtime_error("cannot write " + path);
  file << "mean" << model.mean << "projection" << model.projection << "prototypes" << model.prototypes << "labels"
       << model.labels << "temperature" << model.temperature;
}

cv::Mat Classifier::probabilities(const cv::Mat& features, std::vector<float>* strangeness) const {
  if (strangeness != nullptr) strangeness->assign(static_cast<std::size_t>(features.rows), 0.0F);
  cv::Mat centred;
  cv::subtract(features, cv::repeat(model_.mean, features.rows, 1), centred);
  cv::Mat projected = centred * model_.projection.t();
  cv::Mat result(features.rows, kClassCount, CV_32F);
  // Squared distances to every prototype at once: |x|^2 + |q|^2 - 2 x.q, the last a matrix product.
  cv::Mat cross;
  cv::gemm(projected, model_.prototypes, -2.0, cv::noArray(), 0.0, cross, cv::GEMM_2_T);
  cv::Mat x_norms;
  cv::reduce(projected.mul(projected), x_norms, 1, cv::REDUCE_SUM);
  std::vector<float> best(kClassCount);
  for (int r = 0; r < projected.rows; ++r) {
    std::fill(best.begin(), best.end(), INFINITY);
    const float* row = cross.ptr<float>(r);
    const float x2 = x_norms.at<float>(r);
    for (int p = 0; p < model_.prototypes.rows; ++p) {
      const float d = std::max(0.0F, x2 + prototype_norms_[static_cast<std::size_t>(p)] + row[p]);
      float& slot = best[static_cast<std::size_t>(model_.labels.at<int>(p))];
      slot = std::min(slot, d);
    }
    const float nearest = *std::min_element(best.begin(), best.end());
    if (strangeness != nullptr) (*strangeness)[static_cast<std::size_t>(r)] = nearest / model_.temperature;
    float* out = result.ptr<float>(r);
    float sum = 0;
    for (int c = 0; c < kClassCount; ++c) {
      out[c] = std::exp(-(best[static_cast<std::size_t>(c)] - nearest) / model_.temperature);
      sum += out[c];
    }
    for (int c = 0; c < kClassCount; ++c) out[c] /= sum;
  }
  return result;
}

Classifier::Model Classifier::train(const cv::Mat& features, const cv::Mat& labels, int components,
                                    int prototypes_per_class) {
  Model model;
  cv::PCA pca(features, cv::noArray(), cv::PCA::DATA_AS_ROW, components);
  model.mean = pca.mean.clone();
  model.projection = pca.eigenvectors.clone();
  const cv::Mat projected = pca.project(features);
  std::vector<float> within;  // distances of training glyphs to their own class's prototypes
  for (int c = 0; c < kClassCount; ++c) {
    cv::Mat members;
    for (int r = 0; r < labels.rows; ++r) {
      if (labels.at<int>(r) == c) members.push_back(projected.row(r));
    }
    if (members.empty()) continue;
    const int k = std::min(prototypes_per_class, members.rows);
    cv::Mat assignment;
    cv::Mat centres;
    cv::kmeans(members, k, assignment, cv::TermCriteria(cv::TermCriteria::MAX_ITER | cv::TermCriteria::EPS, 30, 1e-3),
               2, cv::KMEANS_PP_CENTERS, centres);
    for (int i = 0; i < centres.rows; ++i) {
      model.prototypes.push_back(centres.row(i));
      model.labels.push_back(c);
    }
    for (int r = 0; r < members.rows; ++r) {
      within.push_back(static_cast<float>(cv::norm(members.row(r), centres.row(assignment.at<int>(r)), cv::NORM_L2SQR)));
    }
  }
  // A class one typical within-class distance further than the nearest is e times less likely.
  std::nth_element(within.begin(), within.begin() + static_cast<long>(within.size() / 2), within.end());
  model.temperature = std::max(1e-3F, within[within.size() / 2]);
  return model;
}

}  // namespace mrz::optical::detail
