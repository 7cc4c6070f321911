// Loading the OCR-B model, the network's probabilities (softmax of its scores at the calibrated
// temperature) and the prototypes' typicality.
#include "classifier.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "glyph_net.hpp"

namespace mrz::optical::detail {

struct Classifier::Model {
  Prototypes prototypes;
  float temperature = 1;  // network scores are divided by this before the softmax
  GlyphNet net;
  // dlib networks keep their activations inside: one copy per concurrent reader.
  std::mutex mutex;
  std::vector<std::unique_ptr<GlyphNet>> idle;
};

namespace {

void serialize_mat(const cv::Mat& m, std::ostream& out) {
  const cv::Mat f = m.isContinuous() ? m : m.clone();
  dlib::serialize(f.rows, out);
  dlib::serialize(f.cols, out);
  std::vector<float> values(f.begin<float>(), f.end<float>());
  dlib::serialize(values, out);
}

cv::Mat deserialize_mat(std::istream& in) {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;
  dlib::deserialize(rows, in);
  dlib::deserialize(cols, in);
  dlib::deserialize(values, in);
  if (rows < 0 || cols < 0 || values.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
    throw dlib::serialization_error("matrix size does not match its values");
  }
  return cv::Mat(rows, cols, CV_32F, values.data()).clone();
}

}  // namespace

std::vector<float> Prototypes::strangeness(const cv::Mat& features) const {
  CV_Assert(features.isContinuous() && mean.isContinuous() && projection.isContinuous() && centres.isContinuous());
  const int glyphs = features.rows;
  const int length = features.cols;
  const int components = projection.rows;
  const int count = centres.rows;
  if (glyphs == 0) return {};
  cv::Mat centred(glyphs, length, CV_32F);
  for (int r = 0; r < glyphs; ++r) cv::subtract(features.row(r), mean, centred.row(r));
  // The two products through dlib, which hands them to BLAS (OpenBLAS): OpenCV's own gemm was a
  // seventh of a page's reading time. projected = centred * projection^T; cross = -2 projected * centres^T.
  dlib::matrix<float> projected_by_dlib =
      dlib::mat(centred.ptr<float>(), glyphs, length) * dlib::trans(dlib::mat(projection.ptr<float>(), components, length));
  dlib::matrix<float> cross_by_dlib =
      -2.0F * projected_by_dlib * dlib::trans(dlib::mat(centres.ptr<float>(), count, components));
  const cv::Mat projected(glyphs, components, CV_32F, &projected_by_dlib(0, 0));  // views, no copies
  const cv::Mat cross(glyphs, count, CV_32F, &cross_by_dlib(0, 0));
  // |x|^2 + |c|^2 - 2 x.c for every glyph and prototype at once.
  cv::Mat centre_norms;
  cv::reduce(centres.mul(centres), centre_norms, 1, cv::REDUCE_SUM);
  std::vector<float> out(static_cast<std::size_t>(glyphs));
  for (int r = 0; r < glyphs; ++r) {
    const float x2 = static_cast<float>(projected.row(r).dot(projected.row(r)));
    const float* row = cross.ptr<float>(r);
    float nearest = INFINITY;
    for (int p = 0; p < count; ++p) nearest = std::min(nearest, x2 + centre_norms.at<float>(p) + row[p]);
    out[static_cast<std::size_t>(r)] = std::max(0.0F, nearest) / within;
  }
  return out;
}

void glyph_scores(GlyphNet& net, std::vector<Glyph>::const_iterator begin, std::vector<Glyph>::const_iterator end,
                  std::vector<float>& out) {
  if (begin == end) return;
  dlib::resizable_tensor input;
  net.to_tensor(begin, end, input);
  net.subnet().forward(input);
  const float* scores = net.subnet().get_output().host();
  out.insert(out.end(), scores, scores + input.num_samples() * kClassCount);
}

void softmax(const float* scores, float temperature, float* out) {
  const float top = *std::max_element(scores, scores + kClassCount);
  float sum = 0;
  for (int c = 0; c < kClassCount; ++c) sum += out[c] = std::exp((scores[c] - top) / temperature);
  for (int c = 0; c < kClassCount; ++c) out[c] /= sum;
}

void save_model(const std::string& path, const Prototypes& prototypes, float temperature, const GlyphNet& net) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  dlib::serialize(std::string(kModelMagic), out);
  serialize_mat(prototypes.mean, out);
  serialize_mat(prototypes.projection, out);
  serialize_mat(prototypes.centres, out);
  dlib::serialize(prototypes.labels, out);
  dlib::serialize(prototypes.within, out);
  dlib::serialize(temperature, out);
  GlyphNet copy = net;
  copy.clean();  // activations of the last glyphs it saw are no part of the model
  dlib::serialize(copy, out);
  if (!out) throw std::runtime_error("cannot write " + path);
}

void load_model(const std::string& path, Prototypes& prototypes, float& temperature, GlyphNet& net) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot load the OCR-B model " + path + ": no such file");
  try {
    std::string magic;
    dlib::deserialize(magic, in);
    if (magic != kModelMagic) throw dlib::serialization_error("not a " + std::string(kModelMagic) + " model");
    prototypes.mean = deserialize_mat(in);
    prototypes.projection = deserialize_mat(in);
    prototypes.centres = deserialize_mat(in);
    dlib::deserialize(prototypes.labels, in);
    dlib::deserialize(prototypes.within, in);
    dlib::deserialize(temperature, in);
    dlib::deserialize(net, in);
  } catch (const dlib::serialization_error& e) {
    throw std::runtime_error("the OCR-B model " + path + " is malformed: " + e.what());
  }
  const auto& p = prototypes;
  if (p.mean.cols != kFeatureLength || p.projection.cols != kFeatureLength || p.centres.cols != p.projection.rows ||
      p.labels.size() != static_cast<std::size_t>(p.centres.rows) || p.within <= 0 || temperature <= 0) {
    throw std::runtime_error("the OCR-B model " + path + " is malformed: inconsistent sizes");
  }
}

Classifier::Classifier(const std::string& model_path) : model_(std::make_unique<Model>()) {
  load_model(model_path, model_->prototypes, model_->temperature, model_->net);
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

std::vector<float> Classifier::strangeness(const cv::Mat& features) const {
  CV_Assert(features.type() == CV_32F && features.cols == kFeatureLength);
  return model_->prototypes.strangeness(features);
}

cv::Mat Classifier::probabilities(const cv::Mat& features) const {
  CV_Assert(features.type() == CV_32F && features.cols == kFeatureLength);
  cv::Mat result(features.rows, kClassCount, CV_32F);
  if (features.rows == 0) return result;

  std::vector<Glyph> glyphs(static_cast<std::size_t>(features.rows));
  for (int r = 0; r < features.rows; ++r) {
    auto& g = glyphs[static_cast<std::size_t>(r)];
    g.set_size(kGlyphHeight, kGlyphWidth);
    std::copy_n(features.ptr<float>(r), kFeatureLength, &g(0, 0));
  }
  std::unique_ptr<GlyphNet> net;
  {
    const std::lock_guard lock(model_->mutex);
    if (model_->idle.empty()) {
      net = std::make_unique<GlyphNet>(model_->net);
    } else {
      net = std::move(model_->idle.back());
      model_->idle.pop_back();
    }
  }
  std::vector<float> scores;
  glyph_scores(*net, glyphs.cbegin(), glyphs.cend(), scores);
  for (int r = 0; r < features.rows; ++r) {
    softmax(scores.data() + static_cast<std::ptrdiff_t>(r) * kClassCount, model_->temperature, result.ptr<float>(r));
  }
  {
    const std::lock_guard lock(model_->mutex);
    model_->idle.push_back(std::move(net));
  }
  return result;
}

}  // namespace mrz::optical::detail
