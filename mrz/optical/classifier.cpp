// PCA, nearest prototypes for the candidate classes and typicality, one-vs-one SVM contests among
// the candidates for their probabilities.
#include "classifier.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "pipeline.hpp"

namespace mrz::optical::detail {
namespace {

// Classes the SVM decides among: the prototypes' nearest few hold the right class for practically
// every glyph, and the contests among them cost a fraction of all 666.
constexpr int kCandidates = 6;

// RBF width and error penalty of the SVM. The width is relative to the glyphs' mean squared
// distance from the mean; both were chosen on training-seed pages (99.96% held-out glyphs).
constexpr double kRelativeGamma = 1.0;
constexpr double kPenalty = 10.0;

// The part of a cell's probability the prototypes keep next to the SVM's.
constexpr float kPrototypeShare = 0.02F;

// The calibration's largest decision scale. Held-out sets with hardly any errors drive the fit
// towards certainty; large ones (11,000 glyphs) settle at 11 to 14.
constexpr float kMaxScale = 16.0F;

float log_sigmoid(float x) { return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x)); }

}  // namespace

Classifier::Classifier(const std::string& model_path) {
  cv::FileStorage file;
  try {
    file.open(model_path, cv::FileStorage::READ);
    if (file.isOpened()) {
      file["mean"] >> model_.mean;
      file["projection"] >> model_.projection;
      file["prototypes"] >> model_.prototypes;
      file["labels"] >> model_.labels;
      file["temperature"] >> model_.temperature;
      file["svm_scale"] >> model_.svm_scale;
      if (!file["svm"].empty()) model_.svm = cv::Algorithm::read<cv::ml::SVM>(file["svm"]);
    }
  } catch (const cv::Exception& e) {
    throw std::runtime_error("cannot load the OCR-B model " + model_path + ": " + e.what());
  }
  if (!file.isOpened()) throw std::runtime_error("cannot load the OCR-B model " + model_path);
  cache();
  const bool svm_ok = model_.svm.empty() || (support_vectors_.cols == model_.projection.rows &&
                                             static_cast<int>(contests_.size()) == kClassCount * kClassCount);
  if (model_.mean.cols != kFeatureLength || model_.projection.cols != kFeatureLength ||
      model_.prototypes.cols != model_.projection.rows || model_.labels.rows != model_.prototypes.rows ||
      model_.temperature <= 0 || !svm_ok) {
    throw std::runtime_error("the OCR-B model " + model_path + " is malformed");
  }
}

void Classifier::cache() {
  prototype_norms_.clear();
  for (int p = 0; p < model_.prototypes.rows; ++p) {
    prototype_norms_.push_back(static_cast<float>(model_.prototypes.row(p).dot(model_.prototypes.row(p))));
  }
  contests_.clear();
  if (model_.svm.empty() || !model_.svm->isTrained()) return;
  model_.svm->getSupportVectors().convertTo(support_vectors_, CV_32F);
  gamma_ = static_cast<float>(model_.svm->getGamma());
  // OpenCV numbers the decision functions (a, b) for a < b in row-major order; every class took
  // part in training, so class order is label order.
  contests_.resize(static_cast<std::size_t>(kClassCount * kClassCount));
  int index = 0;
  for (int a = 0; a < kClassCount; ++a) {
    for (int b = a + 1; b < kClassCount; ++b, ++index) {
      cv::Mat alphas;
      cv::Mat vectors;
      auto& contest = contests_[static_cast<std::size_t>(a * kClassCount + b)];
      contest.rho = static_cast<float>(model_.svm->getDecisionFunction(index, alphas, vectors));
      alphas.convertTo(alphas, CV_32F);
      contest.alphas.assign(alphas.begin<float>(), alphas.end<float>());
      contest.vectors.assign(vectors.begin<int>(), vectors.end<int>());
    }
  }
}

void Classifier::save(const Model& model, const std::string& path) {
  cv::FileStorage file(path, cv::FileStorage::WRITE);
  if (!file.isOpened()) throw std::runtime_error("cannot write " + path);
  file << "mean" << model.mean << "projection" << model.projection << "prototypes" << model.prototypes << "labels"
       << model.labels << "temperature" << model.temperature << "svm_scale" << model.svm_scale;
  if (!model.svm.empty()) {
    file << "svm" << "{";
    model.svm->write(file);
    file << "}";
  }
}

cv::Mat Classifier::project(const cv::Mat& features) const {
  cv::Mat centred;
  cv::subtract(features, cv::repeat(model_.mean, features.rows, 1), centred);
  return centred * model_.projection.t();
}

cv::Mat Classifier::class_distances(const cv::Mat& projected) const {
  // Squared distances to every prototype at once: |x|^2 + |q|^2 - 2 x.q, the last a matrix product.
  cv::Mat cross;
  cv::gemm(projected, model_.prototypes, -2.0, cv::noArray(), 0.0, cross, cv::GEMM_2_T);
  cv::Mat x_norms;
  cv::reduce(projected.mul(projected), x_norms, 1, cv::REDUCE_SUM);
  cv::Mat best(projected.rows, kClassCount, CV_32F, cv::Scalar(INFINITY));
  for (int r = 0; r < projected.rows; ++r) {
    const float* row = cross.ptr<float>(r);
    const float x2 = x_norms.at<float>(r);
    float* out = best.ptr<float>(r);
    for (int p = 0; p < model_.prototypes.rows; ++p) {
      const float d = std::max(0.0F, x2 + prototype_norms_[static_cast<std::size_t>(p)] + row[p]);
      float& slot = out[model_.labels.at<int>(p)];
      slot = std::min(slot, d);
    }
  }
  return best;
}

void Classifier::decide(const float* glyph, const std::vector<int>& candidates, std::vector<float>& kernel_cache,
                        std::vector<float>& log_odds) const {
  const int dims = support_vectors_.cols;
  auto kernel = [&](int v) {
    float& k = kernel_cache[static_cast<std::size_t>(v)];
    if (k < 0) {
      const float* sv = support_vectors_.ptr<float>(v);
      float d = 0;
      for (int i = 0; i < dims; ++i) d += (glyph[i] - sv[i]) * (glyph[i] - sv[i]);
      k = std::exp(-gamma_ * d);
    }
    return k;
  };
  // A class's log-odds: how sure it is to win each of its contests against the other candidates.
  log_odds.assign(candidates.size(), 0.0F);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    for (std::size_t j = i + 1; j < candidates.size(); ++j) {
      const int a = std::min(candidates[i], candidates[j]);
      const int b = std::max(candidates[i], candidates[j]);
      const auto& contest = contests_[static_cast<std::size_t>(a * kClassCount + b)];
      float value = -contest.rho;
      for (std::size_t s = 0; s < contest.vectors.size(); ++s) value += contest.alphas[s] * kernel(contest.vectors[s]);
      const float for_a = model_.svm_scale * value;
      const bool i_is_a = candidates[i] == a;
      log_odds[i] += log_sigmoid(i_is_a ? for_a : -for_a);
      log_odds[j] += log_sigmoid(i_is_a ? -for_a : for_a);
    }
  }
}

void Classifier::prototype_softmax(const float* distances, float* out) const {
  // A class one typical within-class distance further than the nearest is e times less likely.
  const float nearest = *std::min_element(distances, distances + kClassCount);
  float sum = 0;
  for (int c = 0; c < kClassCount; ++c) sum += out[c] = std::exp(-(distances[c] - nearest) / model_.temperature);
  for (int c = 0; c < kClassCount; ++c) out[c] /= sum;
}

cv::Mat Classifier::probabilities(const cv::Mat& features, std::vector<float>* strangeness) const {
  if (strangeness != nullptr) strangeness->assign(static_cast<std::size_t>(features.rows), 0.0F);
  const cv::Mat projected = project(features);
  const cv::Mat distances = class_distances(projected);
  cv::Mat result(features.rows, kClassCount, CV_32F);
  std::vector<int> order(kClassCount);
  std::vector<float> kernel_cache;
  std::vector<float> log_odds;
  for (int r = 0; r < projected.rows; ++r) {
    const float* best = distances.ptr<float>(r);
    if (strangeness != nullptr) {
      (*strangeness)[static_cast<std::size_t>(r)] = *std::min_element(best, best + kClassCount) / model_.temperature;
    }
    float* out = result.ptr<float>(r);
    prototype_softmax(best, out);
    if (contests_.empty()) continue;
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + kCandidates, order.end(),
                      [&](int a, int b) { return best[a] < best[b]; });
    const std::vector<int> candidates(order.begin(), order.begin() + kCandidates);
    kernel_cache.assign(static_cast<std::size_t>(support_vectors_.rows), -1.0F);
    decide(projected.ptr<float>(r), candidates, kernel_cache, log_odds);
    // The SVM's contests decide; a little of the prototypes' view keeps the runners-up in a
    // meaningful order for the repair stage when the SVM is sure of its first choice.
    const float top = *std::max_element(log_odds.begin(), log_odds.end());
    float sum = 0;
    for (const float v : log_odds) sum += std::exp(v - top);
    for (int c = 0; c < kClassCount; ++c) out[c] *= kPrototypeShare;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      out[candidates[i]] += (1.0F - kPrototypeShare) * std::exp(log_odds[i] - top) / sum;
    }
  }
  return result;
}

namespace {

cv::Ptr<cv::ml::SVM> train_svm(const cv::Mat& projected, const cv::Mat& labels) {
  const double mean_square = cv::sum(projected.mul(projected))[0] / projected.rows;
  auto svm = cv::ml::SVM::create();
  svm->setType(cv::ml::SVM::C_SVC);
  svm->setKernel(cv::ml::SVM::RBF);
  svm->setGamma(kRelativeGamma / std::max(1e-6, mean_square));
  svm->setC(kPenalty);
  svm->setTermCriteria(cv::TermCriteria(cv::TermCriteria::EPS | cv::TermCriteria::COUNT, 10000, 1e-3));
  svm->train(projected, cv::ml::ROW_SAMPLE, labels);
  return svm;
}

}  // namespace

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
  model.svm = train_svm(projected, labels);
  return model;
}

float Classifier::calibrate(Model& model, const cv::Mat& features, const cv::Mat& labels) {
  if (model.svm.empty() || features.empty()) return model.svm_scale;
  // The scale that makes the held-out glyphs' labels most likely (costs floored as the reader does).
  float best_scale = model.svm_scale;
  double best_loss = INFINITY;
  for (float scale = 0.25F; scale <= kMaxScale; scale *= 1.25F) {
    model.svm_scale = scale;
    const cv::Mat p = Classifier(model).probabilities(features);
    double loss = 0;
    for (int r = 0; r < p.rows; ++r) loss -= std::log(std::max(1e-4F, p.at<float>(r, labels.at<int>(r))));
    if (loss < best_loss) {
      best_loss = loss;
      best_scale = scale;
    }
  }
  model.svm_scale = best_scale;
  return best_scale;
}

}  // namespace mrz::optical::detail
