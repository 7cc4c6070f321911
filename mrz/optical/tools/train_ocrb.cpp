// Trains the OCR-B glyph classifier (network and prototypes) on cells cut by the reader's own
// pipeline, so that it learns glyphs as the reader will see them:
//   1. synthetic pages (every layout, ink and degradation of mrz_synth), varied further by other
//      printers and captures (vary.hpp), cells also cut slightly off their grid;
//   2. real documents: the `train` split of a truth.json set (../shared/data/real-mrz), its cells
//      labelled with the hand-checked truth once a first network has found the grid. A third of
//      those images (fixed by a hash of the name) is kept out of training to calibrate the
//      probabilities on real glyphs. The `eval` split is never opened.
//   train_ocrb --out MODEL [--real DIR] [--pages N] [--seed S] [--epochs E] [--real-epochs E]
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "classifier.hpp"
#include "glyph_net.hpp"
#include "image_sets.hpp"
#include "mrz_synth/page.hpp"
#include "pipeline.hpp"
#include "vary.hpp"

namespace {

using namespace mrz::optical::detail;

struct Samples {
  std::vector<Glyph> glyphs;
  std::vector<unsigned long> labels;

  void add(const float* features, int label) {
    Glyph g(kGlyphHeight, kGlyphWidth);
    std::copy_n(features, kFeatureLength, &g(0, 0));
    glyphs.push_back(std::move(g));
    labels.push_back(static_cast<unsigned long>(label));
  }
  void append(const Samples& other) {
    glyphs.insert(glyphs.end(), other.glyphs.begin(), other.glyphs.end());
    labels.insert(labels.end(), other.labels.begin(), other.labels.end());
  }
};

int class_of(char c) {
  for (int i = 0; i < kClassCount; ++i) {
    if (kClasses[i] == c) return i;
  }
  return -1;
}

double uniform(std::mt19937& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// A line whose grid is a little off, as a real segmentation sometimes is.
Line jittered(const Line& line, std::mt19937& rng) {
  Line out = line;
  const float height = static_cast<float>(line.bottom - line.top);
  out.first_centre += static_cast<float>(uniform(rng, -0.15, 0.15)) * line.pitch;
  out.pitch *= static_cast<float>(uniform(rng, 0.985, 1.015));
  const int dy = static_cast<int>(std::lround(uniform(rng, -0.1, 0.1) * height));
  const int grow = static_cast<int>(std::lround(uniform(rng, -0.08, 0.1) * height));
  out.top += dy - grow / 2;
  out.bottom += dy + grow - grow / 2;
  return out;
}

// The cells of one fitted MRZ labelled with the truth: every glyph once on its grid and `jitters`
// times a little off it; fillers, half of an MRZ, thinned out so they do not swamp the rest.
void cut_cells(const cv::Mat& image, const std::vector<Line>& lines, const std::vector<std::string>& truth,
               int jitters, int fillers_per_mrz, Samples& out, std::mt19937& rng) {
  std::vector<float> row(kFeatureLength);
  int fillers = 0;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    for (int i = 0; i < static_cast<int>(truth[l].size()); ++i) {
      const int label = class_of(truth[l][static_cast<std::size_t>(i)]);
      if (label < 0) continue;
      if (truth[l][static_cast<std::size_t>(i)] == '<' && (fillers >= fillers_per_mrz || rng() % 3 != 0)) continue;
      if (truth[l][static_cast<std::size_t>(i)] == '<') ++fillers;
      glyph_features(image, lines[l], i, row.data());
      out.add(row.data(), label);
      for (int j = 0; j < jitters; ++j) {
        glyph_features(image, jittered(lines[l], rng), i, row.data());
        out.add(row.data(), label);
      }
    }
  }
}

cv::Point2f centre(const std::array<cv::Point2f, 4>& q) { return (q[0] + q[1] + q[2] + q[3]) * 0.25F; }

// Cuts the cells of one synthetic page; false when the pipeline did not find its MRZ.
bool harvest_page(const mrz::synth::PageSpec& spec, double variation, Samples& out, std::mt19937& rng) {
  const auto page = mrz::synth::render_page(spec);
  cv::Mat gray;
  cv::cvtColor(page.image, gray, cv::COLOR_BGR2GRAY);
  auto quad = page.mrz_quad;
  if (variation > 0) mrz::optical::training::vary_page(gray, quad, variation, rng);
  const auto truth_centre = centre(quad);
  const float truth_width = static_cast<float>(cv::norm(quad[1] - quad[0]));
  const bool quarter = spec.rotation == 90 || spec.rotation == 270;
  const int line_count = static_cast<int>(page.mrz_lines.size());
  const int characters = static_cast<int>(page.mrz_lines[0].size());
  for (const auto& candidate : locate(gray, nullptr)) {
    if (candidate.quarter_turn != quarter) continue;
    if (cv::norm(centre(candidate.corners) - truth_centre) > 0.15 * truth_width) continue;
    const bool upside_down = quarter ? spec.rotation == 270 : spec.rotation == 180;
    const auto upright = normalised_crop(gray, candidate);
    const auto crop = upside_down ? turned_around(upright) : upright;
    const auto lines = fit_grid(crop, find_lines(crop), line_count, characters);
    if (lines.empty()) return false;
    // Only a grid that matches the truth makes clean labels: every corner of the fitted text box
    // within half a pitch of the true MRZ corner.
    const auto box = text_box(lines, characters);
    const float pitch_on_page = truth_width / static_cast<float>(characters);
    for (int k = 0; k < 4; ++k) {
      const cv::Vec3d p = crop.to_page * cv::Vec3d(box[k].x, box[k].y, 1.0);
      const cv::Point2f on_page(static_cast<float>(p[0] / p[2]), static_cast<float>(p[1] / p[2]));
      if (cv::norm(on_page - quad[k]) > 0.5 * pitch_on_page) return false;
    }
    cut_cells(crop.image, lines, page.mrz_lines, 1, 8, out, rng);
    return true;
  }
  return false;
}

mrz::synth::PageSpec random_spec(std::mt19937& rng, std::uint32_t seed) {
  static const mrz::Format formats[] = {mrz::Format::TD3, mrz::Format::TD3, mrz::Format::TD1, mrz::Format::TD1,
                                        mrz::Format::TD2, mrz::Format::MRVA, mrz::Format::MRVB};
  mrz::synth::PageSpec spec;
  spec.fields = mrz::synth::random_fields(rng, formats[rng() % std::size(formats)]);
  spec.degradation = static_cast<mrz::synth::Degradation>(rng() % 4);
  spec.ink = static_cast<mrz::synth::InkStyle>(rng() % 3);
  spec.rotation = static_cast<int>(rng() % 2) * 180;
  spec.seed = seed;
  return spec;
}

using RealImage = mrz::optical::sets::Image;

// The train split, divided by a hash of the name into images to learn from and images to
// calibrate on (every third).
void real_images(const std::filesystem::path& dir, std::vector<RealImage>& learn, std::vector<RealImage>& calibrate) {
  for (auto& image : mrz::optical::sets::real_mrz(dir, "train")) {  // eval is for measuring only
    const auto base = image.path.filename().string();
    const auto hash = std::accumulate(base.begin(), base.end(), 2166136261U,
                                      [](unsigned h, char c) { return (h ^ static_cast<unsigned char>(c)) * 16777619U; });
    (hash % 3 == 0 ? calibrate : learn).push_back(std::move(image));
  }
}

// Finds the grid on a real image with a first classifier (the hypothesis whose reading agrees most
// with the truth) and cuts its cells, plainly and under `variants` captures. False when no
// hypothesis agrees on at least `min_agreement` of the characters.
bool harvest_real(const RealImage& image, const Classifier& classifier, int variants, double min_agreement,
                  Samples& out, std::mt19937& rng) {
  const cv::Mat gray = cv::imread(image.path.string(), cv::IMREAD_GRAYSCALE);
  const auto& truth = *image.truth;
  if (gray.empty()) return false;
  const int line_count = static_cast<int>(truth.size());
  const int characters = static_cast<int>(truth[0].size());
  double best_agreement = 0;
  Crop best_crop;
  std::vector<Line> best_lines;
  int tried = 0;
  for (const auto& candidate : locate(gray, nullptr)) {
    if (tried++ >= 8) break;
    const auto upright = normalised_crop(gray, candidate);
    for (const auto& crop : {upright, turned_around(upright)}) {
      const auto lines = fit_grid(crop, find_lines(crop), line_count, characters);
      if (lines.empty()) continue;
      const cv::Mat p = classifier.probabilities(grid_features(crop.image, lines, characters));
      int agree = 0;
      for (int r = 0; r < p.rows; ++r) {
        cv::Point top;
        cv::minMaxLoc(p.row(r), nullptr, nullptr, nullptr, &top);
        agree += kClasses[top.x] == truth[static_cast<std::size_t>(r / characters)][static_cast<std::size_t>(r % characters)];
      }
      const double agreement = static_cast<double>(agree) / p.rows;
      if (agreement > best_agreement) {
        best_agreement = agreement;
        best_crop = crop;
        best_lines = lines;
      }
    }
  }
  if (best_agreement < min_agreement) return false;
  cut_cells(best_crop.image, best_lines, truth, 0, 30, out, rng);
  for (int v = 0; v < variants; ++v) {
    cv::Mat varied = best_crop.image.clone();
    mrz::optical::training::vary_capture(varied, rng);
    cut_cells(varied, best_lines, truth, 1, 30, out, rng);
  }
  return true;
}

Prototypes fit_prototypes(const Samples& s, int components, int per_class) {
  cv::Mat features(static_cast<int>(s.glyphs.size()), kFeatureLength, CV_32F);
  for (int r = 0; r < features.rows; ++r) std::copy_n(&s.glyphs[static_cast<std::size_t>(r)](0, 0), kFeatureLength, features.ptr<float>(r));
  cv::PCA pca(features, cv::noArray(), cv::PCA::DATA_AS_ROW, components);
  Prototypes p;
  p.mean = pca.mean.clone();
  p.projection = pca.eigenvectors.clone();
  const cv::Mat projected = pca.project(features);
  std::vector<float> within;
  for (int c = 0; c < kClassCount; ++c) {
    cv::Mat members;
    for (int r = 0; r < features.rows; ++r) {
      if (s.labels[static_cast<std::size_t>(r)] == static_cast<unsigned long>(c)) members.push_back(projected.row(r));
    }
    if (members.empty()) continue;
    const int k = std::min(per_class, members.rows);
    cv::Mat assignment;
    cv::Mat centres;
    cv::kmeans(members, k, assignment, cv::TermCriteria(cv::TermCriteria::MAX_ITER | cv::TermCriteria::EPS, 30, 1e-3), 2,
               cv::KMEANS_PP_CENTERS, centres);
    for (int i = 0; i < centres.rows; ++i) {
      p.centres.push_back(centres.row(i));
      p.labels.push_back(c);
    }
    for (int r = 0; r < members.rows; ++r) {
      within.push_back(static_cast<float>(cv::norm(members.row(r), centres.row(assignment.at<int>(r)), cv::NORM_L2SQR)));
    }
  }
  std::nth_element(within.begin(), within.begin() + static_cast<long>(within.size() / 2), within.end());
  p.within = std::max(1e-3F, within[within.size() / 2]);
  return p;
}

// Epochs of minibatch SGD with a learning rate falling from `rate` to a hundredth of it.
void train(TrainingGlyphNet& net, const Samples& s, int epochs, double rate, std::mt19937& rng) {
  dlib::dnn_trainer<TrainingGlyphNet> trainer(net, dlib::sgd(0.0005F, 0.9F));
  trainer.set_mini_batch_size(128);
  trainer.set_iterations_without_progress_threshold(1'000'000'000);
  trainer.be_quiet();
  std::vector<std::size_t> order(s.glyphs.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<Glyph> batch;
  std::vector<unsigned long> labels;
  for (int e = 0; e < epochs; ++e) {
    trainer.set_learning_rate(rate * std::pow(0.01, static_cast<double>(e) / std::max(1, epochs - 1)));
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i = 0; i + 128 <= order.size(); i += 128) {
      batch.clear();
      labels.clear();
      for (std::size_t j = i; j < i + 128; ++j) {
        batch.push_back(s.glyphs[order[j]]);
        labels.push_back(s.labels[order[j]]);
      }
      trainer.train_one_step(batch, labels);
    }
    trainer.get_net(dlib::force_flush_to_disk::no);
    std::cerr << "train_ocrb: epoch " << e + 1 << "/" << epochs << ", learning rate " << trainer.get_learning_rate()
              << ", loss " << trainer.get_average_loss() << '\n';
  }
  trainer.get_net(dlib::force_flush_to_disk::no);
  net.clean();
}

// Network scores of a set of glyphs, kClassCount per glyph.
std::vector<float> scores(GlyphNet& net, const Samples& s) {
  std::vector<float> out;
  for (std::size_t i = 0; i < s.glyphs.size(); i += 256) {
    const auto begin = s.glyphs.cbegin() + static_cast<long>(i);
    glyph_scores(net, begin, s.glyphs.cbegin() + static_cast<long>(std::min(s.glyphs.size(), i + 256)), out);
  }
  return out;
}

// Per glyph: the network's first choice and its probability, and the log-probability of the label
// (exact where the probability itself would round to 0).
struct Judged {
  unsigned long first;
  float first_probability;
  double label_log_probability;
};

std::vector<Judged> judge(const std::vector<float>& v, const Samples& s, float temperature) {
  std::vector<Judged> out;
  std::array<float, kClassCount> p{};
  for (std::size_t r = 0; r < s.glyphs.size(); ++r) {
    const float* row = v.data() + r * kClassCount;
    softmax(row, temperature, p.data());
    const auto first = static_cast<unsigned long>(std::max_element(p.begin(), p.end()) - p.begin());
    // log p = (score - top) / t - log(sum); the first choice's p is 1 / sum.
    const double log_label = (row[s.labels[r]] - row[first]) / temperature + std::log(p[first]);
    out.push_back({first, p[first], log_label});
  }
  return out;
}

double accuracy(GlyphNet& net, const Samples& s) {
  if (s.glyphs.empty()) return 0;
  int right = 0;
  const auto judged = judge(scores(net, s), s, 1.0F);
  for (std::size_t r = 0; r < judged.size(); ++r) right += judged[r].first == s.labels[r];
  return 100.0 * right / static_cast<double>(judged.size());
}

// The softmax temperature that makes the calibration glyphs' labels most likely.
float calibrate(GlyphNet& net, const Samples& s) {
  if (s.glyphs.empty()) return 1.0F;
  const auto v = scores(net, s);
  float best = 1.0F;
  double best_loss = INFINITY;
  for (float t = 0.5F; t <= 8.0F; t *= 1.1F) {
    double loss = 0;
    for (const auto& j : judge(v, s, t)) loss -= j.label_log_probability;
    if (loss < best_loss) {
      best_loss = loss;
      best = t;
    }
  }
  return best;
}

// Calibration glyphs come only from grids that read nearly all right: a cell cut from a shifted
// grid carries the wrong label and would teach the calibration to doubt right readings.
constexpr double kCalibrationAgreement = 0.9;

// How often the network's first choice is wrong, by how sure it is (at temperature t).
void reliability(GlyphNet& net, const Samples& s, float t) {
  const double edges[] = {0.0, 0.5, 0.85, 0.95, 0.99, 1.01};
  int count[5] = {};
  int wrong[5] = {};
  const auto judged = judge(scores(net, s), s, t);
  for (std::size_t r = 0; r < judged.size(); ++r) {
    int b = 0;
    while (b < 4 && judged[r].first_probability >= edges[b + 1]) ++b;
    ++count[b];
    wrong[b] += judged[r].first != s.labels[r];
  }
  for (int b = 0; b < 5; ++b) {
    std::cerr << "train_ocrb:   first choice " << edges[b] << ".." << std::min(1.0, edges[b + 1]) << ": " << count[b]
              << " glyphs, " << wrong[b] << " wrong\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_path;
  std::string real_dir;
  int pages = 2000;
  std::uint32_t seed = 1000003;  // test and benchmark pages use other seeds
  int epochs = 8;
  int real_epochs = 4;
  std::string recalibrate;  // a model whose temperature alone is fitted again
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--out") out_path = value;
    else if (flag == "--real") real_dir = value;
    else if (flag == "--pages") pages = std::stoi(value);
    else if (flag == "--seed") seed = static_cast<std::uint32_t>(std::stoul(value));
    else if (flag == "--epochs") epochs = std::stoi(value);
    else if (flag == "--real-epochs") real_epochs = std::stoi(value);
    else if (flag == "--recalibrate") recalibrate = value;
  }
  if (out_path.empty()) {
    std::cerr << "usage: train_ocrb --out MODEL [--real DIR] [--pages N] [--seed S] [--epochs E] [--real-epochs E]\n"
                 "       train_ocrb --out MODEL --recalibrate MODEL --real DIR\n";
    return 2;
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    std::mt19937 rng(seed);
    dlib::set_dnn_prefer_smallest_algorithms();
    if (!recalibrate.empty()) {
      Prototypes prototypes;
      float temperature = 1;
      GlyphNet net;
      load_model(recalibrate, prototypes, temperature, net);
      const Classifier classifier(recalibrate);
      std::vector<RealImage> learn;
      std::vector<RealImage> calibrate_on;
      real_images(real_dir, learn, calibrate_on);
      Samples held;
      int used = 0;
      for (const auto& image : calibrate_on) used += harvest_real(image, classifier, 0, kCalibrationAgreement, held, rng);
      std::cerr << "train_ocrb: " << held.glyphs.size() << " calibration glyphs from " << used << " of "
                << calibrate_on.size() << " images; at the old temperature " << temperature << ":\n";
      reliability(net, held, temperature);
      temperature = calibrate(net, held);
      std::cerr << "train_ocrb: at the new temperature " << temperature << ":\n";
      reliability(net, held, temperature);
      save_model(out_path, prototypes, temperature, net);
      return 0;
    }
    Samples synthetic;
    Samples held_out;
    int missed = 0;
    for (int i = 0; i < pages; ++i) {
      const auto spec = random_spec(rng, seed + static_cast<std::uint32_t>(i));
      // A quarter of the pages as the renderer makes them, the rest varied.
      const double variation = i % 4 == 0 ? 0.0 : uniform(rng, 0.3, 1.0);
      if (!harvest_page(spec, variation, i % 10 == 9 ? held_out : synthetic, rng)) ++missed;
      if ((i + 1) % 200 == 0) std::cerr << "train_ocrb: " << i + 1 << "/" << pages << " pages\n";
    }
    std::cerr << "train_ocrb: " << synthetic.glyphs.size() << " training and " << held_out.glyphs.size()
              << " held-out synthetic glyphs; the pipeline missed the MRZ on " << missed << " pages\n";

    const Prototypes prototypes = fit_prototypes(synthetic, 48, 48);
    TrainingGlyphNet training_net;
    train(training_net, synthetic, epochs, 0.05, rng);
    GlyphNet net = training_net;
    std::cerr << "train_ocrb: synthetic held-out glyphs " << accuracy(net, held_out) << "% right\n";

    Samples calibration = held_out;
    if (!real_dir.empty()) {
      // The first network finds the grids on the real images; their cells then join the training.
      save_model(out_path, prototypes, 1.0F, net);
      const Classifier first(out_path);
      std::vector<RealImage> learn;
      std::vector<RealImage> calibrate_on;
      real_images(real_dir, learn, calibrate_on);
      Samples real;
      Samples real_held;
      int used = 0;
      for (const auto& image : learn) used += harvest_real(image, first, 12, 0.7, real, rng);
      int used_held = 0;
      for (const auto& image : calibrate_on) used_held += harvest_real(image, first, 0, kCalibrationAgreement, real_held, rng);
      std::cerr << "train_ocrb: real documents: " << real.glyphs.size() << " glyphs from " << used << " of "
                << learn.size() << " images to learn from, " << real_held.glyphs.size() << " from " << used_held
                << " of " << calibrate_on.size() << " kept for calibration; before: "
                << accuracy(net, real_held) << "% of those right\n";
      Samples mixed = synthetic;
      mixed.append(real);
      train(training_net, mixed, real_epochs, 0.01, rng);
      net = training_net;
      std::cerr << "train_ocrb: after: real calibration glyphs " << accuracy(net, real_held)
                << "% right, synthetic held-out " << accuracy(net, held_out) << "%\n";
      if (!real_held.glyphs.empty()) calibration = real_held;
    }
    const float temperature = calibrate(net, calibration);
    reliability(net, calibration, temperature);
    save_model(out_path, prototypes, temperature, net);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "train_ocrb: softmax temperature " << temperature << "; " << seconds << " s; model written to "
              << out_path << '\n';
  } catch (const std::exception& e) {
    std::cerr << "train_ocrb: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
