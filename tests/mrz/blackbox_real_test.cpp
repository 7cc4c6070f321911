// Blackbox runs on images the reader was not built from: pages of the second renderer
// (tests/data/mrz-pages-cairo, bench/second_renderer, never used for training) and the real
// documents of ../shared/data (real-mrz with its hand-checked truth, train and eval apart, and
// PassportEye's test images). As in zxing-cpp's blackbox tests, each folder has pinned floors that
// may only be raised: a change that reads fewer of them fails here. A valid reading that is not the
// truth (a silent wrong read) is never allowed.
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>

#include "image_sets.hpp"
#include "mrz_optical/read.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using mrz::optical::ReadStatus;

using mrz::optical::sets::Image;

struct Outcome {
  int images = 0;
  int exact = 0;
  int valid = 0;
  int not_found = 0;
  int silent_wrong = 0;
};

// The floors of one folder: at least `exact` and `valid` reads, at most `not_found` misses. Set
// one below what the reader measured where builds may round a borderline glyph differently.
struct Pin {
  int images;
  int exact;
  int valid;
  int not_found;
};

const mrz::optical::Reader& reader() {
  static const mrz::optical::Reader instance;
  return instance;
}

Outcome run(const std::string& name, const std::vector<Image>& images) {
  mrz::optical::ReadOptions options;
  options.parse.as_of = mrz::test::kAsOf;
  Outcome o;
  for (const auto& image : images) {
    const auto result = reader().read_file(image.path.string(), options);
    ++o.images;
    o.valid += result.status == ReadStatus::Valid;
    o.not_found += result.status == ReadStatus::NotFound || result.status == ReadStatus::Unusable;
    if (!image.truth) continue;
    const bool exact = result.mrz.lines == *image.truth;
    o.exact += exact;
    if (!exact && result.status == ReadStatus::Valid) {
      ++o.silent_wrong;
      MESSAGE(name, " ", image.path.filename().string(), ": valid but wrong, ",
              result.mrz.lines.empty() ? std::string("no lines") : result.mrz.lines.back());
    }
  }
  std::cout << "blackbox | " << name << " | " << o.images << " images | exact " << o.exact << " | valid " << o.valid
            << " | not found " << o.not_found << " | silently wrong " << o.silent_wrong << "\n";
  return o;
}

void check_pin(const Outcome& o, const Pin& pin) {
  REQUIRE(o.images == pin.images);
  CHECK(o.exact >= pin.exact);
  CHECK(o.valid >= pin.valid);
  CHECK(o.not_found <= pin.not_found);
  CHECK(o.silent_wrong == 0);
}

// Second-renderer pages are named NNN-LAYOUT-SEVERITY.
std::vector<Image> cairo_pages(const std::string& severity) {
  auto images = mrz::optical::sets::pages_with_truth(BORDERPOST_MRZ_PAGES_CAIRO);
  std::erase_if(images, [&](const Image& i) { return i.path.stem().string().find("-" + severity) == std::string::npos; });
  return images;
}

std::vector<Image> real_mrz(const std::string& split) {
  return mrz::optical::sets::real_mrz(fs::path(BORDERPOST_SHARED_DATA) / "real-mrz", split);
}

std::vector<Image> passporteye(bool documents) {
  return mrz::optical::sets::passporteye(fs::path(BORDERPOST_SHARED_DATA) / "passporteye-testdata", documents);
}

}  // namespace

TEST_CASE("blackbox, second renderer, clean pages") { check_pin(run("cairo clean", cairo_pages("clean")), {20, 20, 19, 0}); }

TEST_CASE("blackbox, second renderer, moderate pages") {
  check_pin(run("cairo moderate", cairo_pages("moderate")), {25, 24, 24, 0});
}

TEST_CASE("blackbox, second renderer, severe pages") {
  check_pin(run("cairo severe", cairo_pages("severe")), {15, 11, 8, 1});
}

TEST_CASE("blackbox, real documents, real-mrz train split") { check_pin(run("real-mrz train", real_mrz("train")), {40, 34, 30, 2}); }

TEST_CASE("blackbox, real documents, real-mrz eval split (never trained or tuned on)") {
  check_pin(run("real-mrz eval", real_mrz("eval")), {29, 27, 21, 0});
}

TEST_CASE("blackbox, real documents, PassportEye's documents") {
  check_pin(run("passporteye documents", passporteye(true)), {38, 0, 21, 2});
}

TEST_CASE("blackbox, PassportEye's images without an MRZ are not found") {
  const auto o = run("passporteye no MRZ", passporteye(false));
  check_pin(o, {4, 3, 0, 4});
}
