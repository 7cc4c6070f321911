// The OCR-B glyph network (dlib): two convolution stages and two dense layers over the normalised
// glyph raster of pipeline.hpp. Small on purpose: a page's ~90 cells take a few milliseconds on one
// core, and the shapes it must learn are one typeface under many printing processes.
#pragma once

#include <dlib/dnn.h>

#include "classifier.hpp"
#include "pipeline.hpp"

namespace mrz::optical::detail {

// Training normalises with batch statistics (bn_con); reading replaces them by fixed affine layers.
template <template <typename> class Norm, template <typename> class Dropout>
using GlyphNetOf = dlib::loss_multiclass_log<
    dlib::fc<kClassCount,
    Dropout<dlib::relu<dlib::fc<128,
    dlib::max_pool<2, 2, 2, 2, dlib::relu<Norm<dlib::con<32, 3, 3, 1, 1,
    dlib::max_pool<2, 2, 2, 2, dlib::relu<Norm<dlib::con<16, 5, 5, 1, 1,
    dlib::input<dlib::matrix<float>>>>>>>>>>>>>>>;

template <typename T>
using Dropout = dlib::dropout<T>;

using TrainingGlyphNet = GlyphNetOf<dlib::bn_con, Dropout>;
using GlyphNet = GlyphNetOf<dlib::affine, dlib::multiply>;
using Glyph = dlib::matrix<float>;  // kGlyphHeight x kGlyphWidth, the rows of glyph_features

// The network's class scores for the glyphs [begin, end): kClassCount per glyph, appended to `out`.
void glyph_scores(GlyphNet& net, std::vector<Glyph>::const_iterator begin, std::vector<Glyph>::const_iterator end,
                  std::vector<float>& out);

// One glyph's kClassCount probabilities from its scores, at softmax temperature `temperature`.
void softmax(const float* scores, float temperature, float* out);

// The first line of a model file, so that an older or foreign file is refused with a clear reason.
inline constexpr const char* kModelMagic = "borderpost-ocrb-cnn-1";

// Writes what Classifier loads: the prototypes, the softmax temperature and the network.
void save_model(const std::string& path, const Prototypes& prototypes, float temperature, const GlyphNet& net);
// Reads what save_model wrote; throws std::runtime_error with the reason.
void load_model(const std::string& path, Prototypes& prototypes, float& temperature, GlyphNet& net);

}  // namespace mrz::optical::detail
