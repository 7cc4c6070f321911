// The optical security checks (security.*): what the page's white, infrared and ultraviolet images
// measured, judged against the post's tolerances. A genuine document's features behave as the
// issuing state printed them; a copy, a pasted MRZ or an altered page does not. Every check says
// what it measured, so a supervisor can see why it passed or failed.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "check_support.hpp"

namespace borderpost::station {

std::string_view to_string(NotMeasured why) {
  switch (why) {
    case NotMeasured::none: return "none";
    case NotMeasured::no_page_images: return "no-page-images";
    case NotMeasured::text_only: return "text-only";
    case NotMeasured::no_light: return "no-light";
    case NotMeasured::lamp_failed: return "lamp-failed";
    case NotMeasured::no_mrz_position: return "no-mrz-position";
    case NotMeasured::other_side: return "other-side";
    case NotMeasured::image_unusable: return "image-unusable";
    case NotMeasured::no_ocr: return "no-ocr";
    case NotMeasured::no_face_model: return "no-face-model";
  }
  return "none";
}

namespace {

using namespace checks;

// "0.85": two decimals, as the measurements show them.
std::string decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string millimetres(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f mm", value);
  return text;
}

// Why a feature was not measured, in the inspector's words; `light` names the light it needs.
Said not_measured(NotMeasured why, const char* light) {
  switch (why) {
    case NotMeasured::no_page_images:
      return said("The MRZ was typed: there are no page images to examine.", "reason.security.no_page_images");
    case NotMeasured::text_only:
      return said("The MRZ reader sends the MRZ as text: there are no page images to examine.", "reason.security.text_only");
    case NotMeasured::no_light:
      return said(cat("The reader did not capture the page under ", light, " light."), "reason.security.no_light",
                  {{"light", light}});
    case NotMeasured::lamp_failed:
      return said(cat("The reader's ", light, " lamp could not be switched on, so there is no ", light,
                      " image: have the reader checked."),
                  "reason.security.lamp_failed", {{"light", light}});
    case NotMeasured::no_mrz_position:
      return said("The MRZ was not found on the page, so the features it locates could not be examined.",
                  "reason.security.no_mrz_position");
    case NotMeasured::other_side:
      return said("A TD1 card carries the portrait and the visual zone on its front, the MRZ on its back: they are not on "
                  "this image.",
                  "reason.security.other_side");
    case NotMeasured::image_unusable:
      return said(cat("The ", light, " image could not be decoded."), "reason.security.image_unusable", {{"light", light}});
    case NotMeasured::no_ocr:
      return said("The text recogniser (Tesseract) is not installed at this post.", "reason.security.no_ocr");
    case NotMeasured::no_face_model:
      return said("The face detector's model (opencv-data) is not installed at this post.", "reason.security.no_face_model");
    case NotMeasured::none: break;
  }
  return said("Not measured.", "reason.security.not_measured");
}

Outcome ir_mrz(const IrMrzFacts& f, const SecurityRules& rules) {
  const char* id = "security.ir_mrz";
  if (f.missing != NotMeasured::none) return does_not_apply(id, not_measured(f.missing, "infrared"));
  const std::string contrast = decimal(f.contrast);
  const std::string minimum = decimal(rules.ir_min_contrast);
  const Said measured = said(cat("IR contrast ", contrast), "measure.security.ir_contrast", {{"contrast", contrast}});
  if (f.contrast < rules.ir_min_contrast)
    return outcome(id, CheckStatus::Fail,
                   said(cat("Under infrared the MRZ fades (contrast ", contrast, "; genuine MRZ ink gives at least ", minimum,
                            "): it is not printed in the ink travel documents use. A copy or a reprinted MRZ."),
                        "reason.security.ir_mrz.faint", {{"contrast", contrast}, {"minimum", minimum}}),
                   "MRZ invisible under infrared", measured, true);
  if (!f.read)
    return outcome(id, CheckStatus::Warn,
                   said(cat("The MRZ is dark under infrared (contrast ", contrast,
                            ") but could not be read there: compare the MRZ with the page."),
                        "reason.security.ir_mrz.unread", {{"contrast", contrast}}),
                   "MRZ unreadable under infrared", measured);
  if (!f.same_as_white && !f.both_certain)
    return outcome(id, CheckStatus::Warn,
                   said(cat("The MRZ is dark under infrared (contrast ", contrast,
                            ") but its reading there differs from the white-light one in characters the reader was unsure "
                            "of: compare the MRZ with the page."),
                        "reason.security.ir_mrz.unsure", {{"contrast", contrast}}),
                   "MRZ reads unsurely under infrared", measured);
  if (!f.same_as_white)
    return outcome(id, CheckStatus::Fail,
                   said("The MRZ reads differently under infrared than in white light: characters were added over the MRZ "
                        "in ink infrared does not see.",
                        "reason.security.ir_mrz.differs"),
                   "MRZ differs under infrared", measured, true);
  return outcome(id, CheckStatus::Pass,
                 said(cat("The MRZ is printed in infrared-absorbing ink (contrast ", contrast, ") and reads the same under infrared."),
                      "reason.security.ir_mrz.pass", {{"contrast", contrast}}),
                 {}, measured);
}

Outcome uv_dull(const UvFacts& f, const SecurityRules& rules) {
  const char* id = "security.uv_dull";
  if (f.missing != NotMeasured::none) return does_not_apply(id, not_measured(f.missing, "ultraviolet"));
  const std::string page = decimal(f.page_brightness);
  const std::string zone = decimal(f.mrz_zone_brightness);
  const Said measured = said(cat("UV brightness: page ", page, ", MRZ zone ", zone), "measure.security.uv_brightness",
                             {{"page", page}, {"zone", zone}});
  if (f.page_brightness > rules.uv_max_brightness)
    return outcome(id, CheckStatus::Fail,
                   said(cat("The page glows under ultraviolet (brightness ", page,
                            "): security paper stays dull. This is ordinary paper, as a copy is printed on."),
                        "reason.security.uv_dull.page_glows", {{"page", page}}),
                   "page glows under ultraviolet", measured, true);
  if (f.mrz_zone_brightness > rules.uv_max_brightness)
    return outcome(id, CheckStatus::Fail,
                   said(cat("The MRZ zone glows under ultraviolet (", zone, ") while the page stays dull (", page,
                            "): the MRZ is on a strip of other paper glued over the page."),
                        "reason.security.uv_dull.mrz_glows", {{"page", page}, {"zone", zone}}),
                   "MRZ zone glows under ultraviolet", measured, true);
  return outcome(id, CheckStatus::Pass,
                 said(cat("The page stays dull under ultraviolet (brightness ", page, "), as security paper does."),
                      "reason.security.uv_dull.pass", {{"page", page}}),
                 {}, measured);
}

Outcome photo_present(const PortraitFacts& f) {
  const char* id = "security.photo_present";
  if (f.missing != NotMeasured::none) return does_not_apply(id, not_measured(f.missing, "white"));
  const std::string share = std::to_string(static_cast<int>(std::lround(f.face_share * 100)));
  const Said measured = said(cat(count(f.faces, "face", "faces"), ", ", share, "% of the zone"), "measure.security.faces",
                             {{"faces", std::to_string(f.faces)}, {"share", share}});
  if (f.faces == 0)
    return outcome(id, CheckStatus::Fail,
                   said("There is no face in the portrait zone: the photo is missing or was removed.",
                        "reason.security.photo_present.none"),
                   "no portrait on the page", measured, true);
  return outcome(id, CheckStatus::Pass, said("A face is in the portrait zone.", "reason.security.photo_present.pass"), {},
                 measured);
}

// The visual zone's fields as the pages' terms ("name" covers surname and given names there, but
// here they are compared one by one).
std::vector<std::string> english_fields(const std::vector<std::string>& fields) {
  std::vector<std::string> words;
  for (const auto& field : fields) words.push_back(field == "given_names" ? "given names" : field_words(field));
  return words;
}

Outcome viz_matches(const VizFacts& f, const SecurityRules& rules) {
  const char* id = "security.viz_matches_mrz";
  if (f.missing != NotMeasured::none) return does_not_apply(id, not_measured(f.missing, "white"));
  const long compared = static_cast<long>(f.agree.size() + f.disagree.size());
  if (compared == 0)
    return does_not_apply(id, said("The MRZ has no name, number or date to compare with the visual zone.",
                                   "reason.security.viz_matches_mrz.nothing"));
  const Said measured = said(cat(std::to_string(f.agree.size()), " of ", std::to_string(compared), " fields agree"),
                             "measure.security.fields_agree",
                             {{"agree", std::to_string(f.agree.size())}, {"compared", std::to_string(compared)}});
  if (f.characters_read < rules.viz_min_characters)
    return outcome(id, CheckStatus::Warn,
                   said(cat("The visual zone could not be read (", count(f.characters_read, "character", "characters"),
                            "): compare it with the MRZ by eye."),
                        "reason.security.viz_matches_mrz.illegible", {{"characters", std::to_string(f.characters_read)}}),
                   "visual zone illegible", measured);
  if (!f.disagree.empty())
    return outcome(id, CheckStatus::Fail,
                   said(cat("The visual zone does not show the MRZ's ", joined(english_fields(f.disagree)),
                            ": the page or the MRZ was altered."),
                        "reason.security.viz_matches_mrz.fail", {{"fields", list_value(f.disagree)}}),
                   cat("visual zone differs (", joined(english_fields(f.disagree)), ")"), measured, true);
  return outcome(id, CheckStatus::Pass,
                 said(cat("The visual zone agrees with the MRZ (", joined(english_fields(f.agree)), ")."),
                      "reason.security.viz_matches_mrz.pass", {{"fields", list_value(f.agree)}}),
                 {}, measured);
}

Outcome mrz_print(const PrintFacts& f, const SecurityRules& rules) {
  const char* id = "security.mrz_print";
  if (f.missing != NotMeasured::none) return does_not_apply(id, not_measured(f.missing, "white"));
  constexpr double kPitchMm = 2.54;  // Doc 9303 Part 3 4.4: 10 characters per 25.4 mm
  std::vector<std::string> off;      // terms: "mrz_pitch", "mrz_line_spacing", "mrz_position", "mrz_skew"
  std::vector<std::string> off_words;
  if (std::abs(f.pitch_mm - kPitchMm) > kPitchMm * rules.pitch_tolerance) {
    off.push_back("mrz_pitch");
    off_words.push_back(cat("character pitch ", millimetres(f.pitch_mm), " (2.54 mm)"));
  }
  // 0: the lines were not told apart in the ink's profile, so their spacing is not judged.
  if (f.line_spacing_mm > 0 && std::abs(f.line_spacing_mm - f.nominal_line_spacing_mm) > rules.line_spacing_tolerance_mm) {
    off.push_back("mrz_line_spacing");
    off_words.push_back(cat("line spacing ", millimetres(f.line_spacing_mm), " (", millimetres(f.nominal_line_spacing_mm), ")"));
  }
  if (f.left_mm && std::abs(*f.left_mm - f.nominal_left_mm) > rules.position_tolerance_mm) {
    off.push_back("mrz_position");
    off_words.push_back(cat("first character ", millimetres(*f.left_mm), " from the edge (", millimetres(f.nominal_left_mm), ")"));
  }
  if (f.skew_degrees && std::abs(*f.skew_degrees) > rules.max_skew_degrees) {
    off.push_back("mrz_skew");
    off_words.push_back(cat("lines turned ", decimal(std::abs(*f.skew_degrees)), " degrees against the page"));
  }
  const std::string pitch = decimal(f.pitch_mm);
  const std::string spacing = decimal(f.line_spacing_mm);
  const std::string left = f.left_mm ? decimal(*f.left_mm) : "none";  // "none": the pages leave it out
  const std::string skew = f.skew_degrees ? decimal(*f.skew_degrees) : "none";
  const Said measured =
      said(cat("pitch ", pitch, " mm, line spacing ", spacing, " mm", f.left_mm ? cat(", first character at ", left, " mm") : "",
               f.skew_degrees ? cat(", skew ", skew, " degrees") : ""),
           "measure.security.print", {{"pitch", pitch}, {"spacing", spacing}, {"left", left}, {"skew", skew}});
  if (!off.empty())
    return outcome(id, CheckStatus::Fail,
                   said(cat("The MRZ is not printed as Doc 9303 prints it (", joined(off_words),
                            "): it was reprinted or pasted on."),
                        "reason.security.mrz_print.fail", {{"what", list_value(off)}}),
                   "MRZ print out of tolerance", measured, true);
  if (!f.left_mm)
    return outcome(id, CheckStatus::Pass,
                   said("The MRZ's character pitch and line spacing are within the post's tolerances (the page's edge was "
                        "not found, so its position was not measured).",
                        "reason.security.mrz_print.pass_no_edge"),
                   {}, measured);
  return outcome(id, CheckStatus::Pass,
                 said("The MRZ's character pitch, line spacing and position are within the post's tolerances.",
                      "reason.security.mrz_print.pass"),
                 {}, measured);
}

}  // namespace

namespace checks {

std::vector<Outcome> security_outcomes(const SecurityFacts& facts, const SecurityRules& rules) {
  return {ir_mrz(facts.ir_mrz, rules), uv_dull(facts.uv, rules), photo_present(facts.portrait),
          viz_matches(facts.viz, rules), mrz_print(facts.print, rules)};
}

}  // namespace checks

std::vector<CheckResult> security_checks(const SecurityFacts& facts, const SecurityRules& rules) {
  std::vector<CheckResult> results;
  for (auto& o : checks::security_outcomes(facts, rules)) results.push_back(std::move(o.result));
  return results;
}

}  // namespace borderpost::station
