// The page's optical security checks (security.*) judged from what the images measured: each
// feature a genuine document shows, each way a forgery gives itself away, and why a check did not
// run. Thresholds are Doc 9303's where it gives them (PCS >= 0.6 at B900, +/- 1 mm, 3 degrees).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "inspection_support.hpp"
#include "inspection/inspection.hpp"

using namespace borderpost::station;
using inspection_support::genuine_page;

namespace {

CheckResult check(const SecurityFacts& facts, std::string_view id, const SecurityRules& rules = {}) {
  const auto all = security_checks(facts, rules);
  const auto it = std::find_if(all.begin(), all.end(), [&](const CheckResult& c) { return c.id == id; });
  REQUIRE(it != all.end());
  return *it;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a genuine page passes the five security checks and each says what it measured") {
  const auto all = security_checks(genuine_page(), {});
  REQUIRE(all.size() == 5);
  for (const auto& c : all) {
    CAPTURE(c.id);
    CHECK(c.status == CheckStatus::Pass);
    CHECK_FALSE(c.measurement.empty());
    CHECK_FALSE(c.alert);
  }
  CHECK(check(genuine_page(), "security.ir_mrz").measurement == "IR contrast 0.86");
  CHECK(check(genuine_page(), "security.uv_dull").measurement == "UV brightness: page 0.20, MRZ zone 0.21");
  CHECK(check(genuine_page(), "security.viz_matches_mrz").measurement == "5 of 5 fields agree");
  CHECK(contains(check(genuine_page(), "security.mrz_print").measurement, "pitch 2.54 mm, line spacing 4.20 mm, first character at 6.20 mm"));
}

TEST_CASE("an MRZ that fades under infrared fails (Doc 9303 Part 3 4.11: PCS at least 0.6 at B900)") {
  auto page = genuine_page();
  page.ir_mrz.contrast = 0.59;
  const auto c = check(page, "security.ir_mrz");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(c.alert);
  CHECK(contains(c.reason, "contrast 0.59"));
  CHECK(c.reason_phrase.key == "reason.security.ir_mrz.faint");
  page.ir_mrz.contrast = 0.60;
  CHECK(check(page, "security.ir_mrz").status == CheckStatus::Pass);
}

TEST_CASE("an MRZ that reads differently under infrared fails only when both readings are certain") {
  auto page = genuine_page();
  page.ir_mrz.same_as_white = false;
  CHECK(check(page, "security.ir_mrz").status == CheckStatus::Fail);
  page.ir_mrz.both_certain = false;
  CHECK(check(page, "security.ir_mrz").status == CheckStatus::Warn);
  page.ir_mrz.read = false;
  const auto unread = check(page, "security.ir_mrz");
  CHECK(unread.status == CheckStatus::Warn);
  CHECK(unread.reason_phrase.key == "reason.security.ir_mrz.unread");
}

TEST_CASE("paper that glows under ultraviolet fails, and so does a glowing strip over the MRZ") {
  auto copy = genuine_page();
  copy.uv = {NotMeasured::none, 0.95, 0.96};
  const auto c = check(copy, "security.uv_dull");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(c.alert);
  CHECK(c.reason_phrase.key == "reason.security.uv_dull.page_glows");
  auto strip = genuine_page();
  strip.uv.mrz_zone_brightness = 0.97;
  const auto s = check(strip, "security.uv_dull");
  CHECK(s.status == CheckStatus::Fail);
  CHECK(contains(s.reason, "strip of other paper"));
  SecurityRules lenient;
  lenient.uv_max_brightness = 0.98;
  CHECK(check(strip, "security.uv_dull", lenient).status == CheckStatus::Pass);
}

TEST_CASE("no face in the portrait zone fails") {
  auto page = genuine_page();
  page.portrait = {NotMeasured::none, 0, 0};
  const auto c = check(page, "security.photo_present");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(c.alert);
  CHECK(c.measurement == "0 faces, 0% of the zone");
}

TEST_CASE("a visual zone that does not show the MRZ's fields fails and names them, an illegible one only warns") {
  auto page = genuine_page();
  page.viz.agree = {"surname", "given_names", "document_number"};
  page.viz.disagree = {"birth_date", "expiry_date"};
  const auto c = check(page, "security.viz_matches_mrz");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(c.alert);
  CHECK(contains(c.reason, "date of birth and date of expiry"));
  CHECK(c.measurement == "3 of 5 fields agree");
  page.viz.characters_read = 5;
  const auto illegible = check(page, "security.viz_matches_mrz");
  CHECK(illegible.status == CheckStatus::Warn);
  CHECK_FALSE(illegible.alert);
}

TEST_CASE("an MRZ printed off the ICAO pitch, spacing, position or angle fails and says which") {
  auto page = genuine_page();
  page.print.pitch_mm = 2.54 * 1.06;
  auto c = check(page, "security.mrz_print");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(contains(c.reason, "character pitch 2.69 mm"));
  page = genuine_page();
  page.print.left_mm = 7.2;  // 6.0 +/- 1.0 mm
  CHECK(check(page, "security.mrz_print").status == CheckStatus::Fail);
  page.print.left_mm = 6.9;
  CHECK(check(page, "security.mrz_print").status == CheckStatus::Pass);
  page.print.skew_degrees = -3.5;
  c = check(page, "security.mrz_print");
  CHECK(c.status == CheckStatus::Fail);
  CHECK(contains(c.reason, "turned 3.50 degrees"));
  page = genuine_page();
  page.print.line_spacing_mm = 5.0;
  CHECK(check(page, "security.mrz_print").status == CheckStatus::Fail);
}

TEST_CASE("without the page's edges the print check judges pitch and spacing alone, and says so") {
  auto page = genuine_page();
  page.print.left_mm.reset();
  page.print.skew_degrees.reset();
  const auto c = check(page, "security.mrz_print");
  CHECK(c.status == CheckStatus::Pass);
  CHECK(c.reason_phrase.key == "reason.security.mrz_print.pass_no_edge");
  CHECK_FALSE(contains(c.measurement, "first character"));
}

TEST_CASE("a feature that was not measured does not run, says why, and is no gap in the verdict") {
  SecurityFacts typed;  // a typed MRZ: no page images
  for (const auto& c : security_checks(typed, {})) {
    CAPTURE(c.id);
    CHECK(c.status == CheckStatus::NotRun);
    CHECK(c.reason_phrase.key == "reason.security.no_page_images");
  }
  for (const auto& c : security_checks(unmeasured_page(NotMeasured::text_only), {})) {
    CAPTURE(c.id);
    CHECK(c.status == CheckStatus::NotRun);
    CHECK(c.reason == "The MRZ reader sends the MRZ as text: there are no page images to examine.");
  }
  auto page = genuine_page();
  page.ir_mrz.missing = NotMeasured::no_light;
  page.portrait.missing = NotMeasured::other_side;
  const auto ir = check(page, "security.ir_mrz");
  CHECK(ir.status == CheckStatus::NotRun);
  CHECK(contains(ir.reason, "under infrared light"));
  CHECK(check(page, "security.photo_present").reason_phrase.key == "reason.security.other_side");
}
