// The OCR-B glyph classifier, in a PCA space of the glyph raster. Nearest prototypes (k-means
// centres per class) say which classes are in question and how typical the glyph is; a one-vs-one
// RBF support vector machine then decides among those few classes. The prototypes alone confuse
// degraded look-alikes (O/D/0, P/R, H/N) several times as often as the SVM does.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

namespace mrz::optical::detail {

class Classifier {
 public:
  struct Model {
    cv::Mat mean;         // 1 x kFeatureLength
    cv::Mat projection;   // components x kFeatureLength (PCA eigenvectors)
    cv::Mat prototypes;   // prototypes x components
    cv::Mat labels;       // prototypes x 1, class index (CV_32S)
    float temperature = 1;  // distance scale for the softmax over classes
    cv::Ptr<cv::ml::SVM> svm;  // C-SVC with an RBF kernel on the projected glyphs
    float svm_scale = 1;       // SVM decision value -> log-odds of one class against another
  };

  explicit Classifier(const std::string& model_path);
  explicit Classifier(Model model) : model_(std::move(model)) { cache(); }

  // One row of glyph features per cell in, one row of kClassCount probabilities per cell out.
  // `strangeness`, when given, receives per cell the distance to the nearest prototype in units of
  // the typical within-class distance: about 1 for a real glyph, far more for anything else.
  cv::Mat probabilities(const cv::Mat& features, std::vector<float>* strangeness = nullptr) const;

  // Learns the model from features (CV_32F rows) and labels (class indices, CV_32S column).
  static Model train(const cv::Mat& features, const cv::Mat& labels, int components, int prototypes_per_class);
  // Fits svm_scale to glyphs the model was not trained on (most likely labels); returns it.
  static float calibrate(Model& model, const cv::Mat& features, const cv::Mat& labels);
  static void save(const Model& model, const std::string& path);

 private:
  // One SVM decision function (class a against class b, a < b): positive favours a.
  struct Contest {
    std::vector<int> vectors;   // rows of the support vector matrix
    std::vector<float> alphas;
    float rho = 0;
  };

  void cache();
  cv::Mat project(const cv::Mat& features) const;
  // Softmax over the prototypes' class distances (one row).
  void prototype_softmax(const float* distances, float* out) const;
  // Squared distance from each projected glyph to each class's nearest prototype (rows x classes).
  cv::Mat class_distances(const cv::Mat& projected) const;
  // Log-probabilities of the given candidate classes for one projected glyph.
  void decide(const float* glyph, const std::vector<int>& candidates, std::vector<float>& kernel_cache,
              std::vector<float>& log_odds) const;

  Model model_;
  std::vector<float> prototype_norms_;
  cv::Mat support_vectors_;
  float gamma_ = 0;
  std::vector<Contest> contests_;  // by a * kClassCount + b
};

}  // namespace mrz::optical::detail
