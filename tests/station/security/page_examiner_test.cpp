// The page examiner on generated documents under white, IR and UV light: a genuine page's
// features measure as Doc 9303 and security paper say, and each forgery kind is caught by the
// feature it breaks.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "mrz_optical/read.hpp"
#include "mrz_synth/forgery.hpp"
#include "inspection/inspection.hpp"
#include "security/page_examiner.hpp"

using namespace borderpost::station;
using mrz::synth::Forgery;

namespace {

const mrz::optical::Reader& reader() {
  static const mrz::optical::Reader instance;
  return instance;
}

mrz::synth::PageSpec genuine_passport() {
  std::mt19937 rng(9303);
  auto spec = mrz::synth::genuine_document(rng, mrz::Format::TD3);
  spec.degradation = mrz::synth::Degradation::Clean;
  return spec;
}

security::PageImages captured(const mrz::synth::PageSpec& spec) {
  const auto lights = mrz::synth::render_lights(spec);
  security::PageImages images;
  images.white = lights.white.image;
  images.infrared = lights.infrared;
  images.ultraviolet = lights.ultraviolet;
  return images;
}

SecurityFacts examine(const security::PageImages& images) {
  const security::PageExaminer examiner(reader());
  return examiner.examine(images, reader().read(images.white));
}

CheckStatus status(const SecurityFacts& facts, std::string_view id) {
  for (const auto& c : security_checks(facts, {}))
    if (c.id == id) return c.status;
  FAIL("no check " << id);
  return CheckStatus::NotRun;
}

}  // namespace

TEST_CASE("a genuine passport's page measures as Doc 9303 and security paper say, and passes every security check") {
  const auto facts = examine(captured(genuine_passport()));
  CHECK(facts.ir_mrz.contrast >= 0.6);
  CHECK(facts.ir_mrz.same_as_white);
  CHECK(facts.uv.page_brightness < 0.35);
  CHECK(facts.uv.mrz_zone_brightness < 0.35);
  CHECK(facts.portrait.faces >= 1);
  CHECK(facts.viz.disagree.empty());
  CHECK(facts.viz.agree.size() == 5);
  CHECK(facts.print.pitch_mm == doctest::Approx(2.54).epsilon(0.03));
  REQUIRE(facts.print.left_mm.has_value());
  CHECK(*facts.print.left_mm == doctest::Approx(6.0).epsilon(0.17));
  REQUIRE(facts.print.skew_degrees.has_value());
  CHECK(std::abs(*facts.print.skew_degrees) < 0.5);
  for (const auto& c : security_checks(facts, {})) {
    CAPTURE(c.id);
    CAPTURE(c.measurement);
    CHECK(c.status == CheckStatus::Pass);
  }
}

TEST_CASE("each forgery kind is caught by the feature it breaks") {
  std::mt19937 rng(17);
  const auto original = genuine_passport();
  SUBCASE("a colour photocopy: the MRZ vanishes under IR and the paper glows under UV") {
    const auto facts = examine(captured(mrz::synth::forged(original, Forgery::ColourPhotocopy, rng)));
    CHECK(facts.ir_mrz.contrast < 0.3);
    CHECK(facts.uv.page_brightness > 0.8);
    CHECK(status(facts, "security.ir_mrz") == CheckStatus::Fail);
    CHECK(status(facts, "security.uv_dull") == CheckStatus::Fail);
  }
  SUBCASE("a substituted MRZ strip glows under UV and no longer says what the page says") {
    auto spec = mrz::synth::forged(original, Forgery::SubstitutedMrz, rng);
    spec.mrz_shift_mm = 2.0;
    const auto facts = examine(captured(spec));
    CHECK(facts.uv.mrz_zone_brightness > 0.8);
    CHECK(facts.uv.page_brightness < 0.35);
    CHECK(status(facts, "security.uv_dull") == CheckStatus::Fail);
    CHECK(status(facts, "security.viz_matches_mrz") == CheckStatus::Fail);
    CHECK(status(facts, "security.mrz_print") == CheckStatus::Fail);
  }
  SUBCASE("an altered visual zone disagrees with the MRZ") {
    const auto facts = examine(captured(mrz::synth::forged(original, Forgery::VizMismatch, rng)));
    CHECK(facts.viz.disagree.size() == 1);
    CHECK(status(facts, "security.viz_matches_mrz") == CheckStatus::Fail);
  }
  SUBCASE("a removed photo leaves no face") {
    const auto facts = examine(captured(mrz::synth::forged(original, Forgery::MissingPhoto, rng)));
    CHECK(facts.portrait.faces == 0);
    CHECK(status(facts, "security.photo_present") == CheckStatus::Fail);
  }
}

TEST_CASE("a reader without IR and UV lights, or an image that does not decode, leaves those features unmeasured") {
  auto images = captured(genuine_passport());
  images.infrared.release();
  images.ultraviolet.release();
  images.ultraviolet_unusable = true;
  const auto facts = examine(images);
  CHECK(facts.ir_mrz.missing == NotMeasured::no_light);
  CHECK(facts.uv.missing == NotMeasured::image_unusable);
  CHECK(facts.portrait.missing == NotMeasured::none);
}

TEST_CASE("a page without an MRZ, or a TD1 card's back, leaves the features the MRZ locates unmeasured") {
  auto spec = genuine_passport();
  spec.print_mrz = false;
  const auto blank = examine(captured(spec));
  CHECK(blank.ir_mrz.missing == NotMeasured::no_mrz_position);
  CHECK(blank.print.missing == NotMeasured::no_mrz_position);
  std::mt19937 rng(5);
  auto card = mrz::synth::genuine_document(rng, mrz::Format::TD1);
  card.degradation = mrz::synth::Degradation::Clean;
  const auto back = examine(captured(card));
  CHECK(back.portrait.missing == NotMeasured::other_side);
  CHECK(back.viz.missing == NotMeasured::other_side);
  CHECK(back.ir_mrz.missing == NotMeasured::none);
}
